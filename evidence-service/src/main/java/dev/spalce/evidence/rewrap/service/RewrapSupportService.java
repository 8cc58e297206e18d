package dev.spalce.evidence.rewrap.service;

import dev.spalce.crypto.KmsKeyId;
import dev.spalce.evidence.common.repository.WorkspaceScope;
import dev.spalce.evidence.datakey.model.WrappedKeyRow;
import dev.spalce.evidence.rewrap.config.RewrapSupportConfig;
import dev.spalce.evidence.rewrap.repository.WrappedKeyRepository;
import dev.spalce.evidence.rewrap.repository.WrappedKeyRepository.KeySwap;
import dev.spalce.evidence.rewrap.repository.WrappedKeyRepository.VersionCount;
import dev.spalce.kit.api.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What rewrap-worker needs of evidence-service (docs/evidence.md, "Rewrap support API"): how many records each
 * CMK version wraps, the records under one version page by page, and a compare-and-set of new wrapped DEKs that
 * only applies where the stored wrapped DEK is still the one the worker read. Payloads are never touched.
 */
@ApplicationScoped
public class RewrapSupportService {

    /** Before the first record: the cursor of the first page. */
    private static final String FIRST_TYPE = "";

    private static final UUID FIRST_ID = new UUID(0, 0);

    public enum Outcome {
        /** Stored: the record's DEK is now wrapped under the new version. */
        APPLIED,
        /** Not stored: the record's wrapped DEK changed since it was read (read it again). */
        CONFLICT,
        /** Not stored: no such record in this workspace (deleted since it was read). */
        NOT_FOUND
    }

    public record Page(List<WrappedKeyRow> items, String nextCursor) {}

    private final WrappedKeyRepository keys;
    private final WorkspaceScope scope;
    private final RewrapSupportConfig config;

    public RewrapSupportService(WrappedKeyRepository keys, WorkspaceScope scope, RewrapSupportConfig config) {
        this.keys = keys;
        this.scope = scope;
        this.config = config;
    }

    public Uni<List<VersionCount>> countByVersion(String workspaceId) {
        return scope.transaction(workspaceId, () -> keys.countByVersion(workspaceId));
    }

    /** How many records are not (yet) wrapped under {@code kmsKeyId}. */
    public Uni<Long> countNotOn(String workspaceId, String kmsKeyId) {
        requireKeyId(kmsKeyId);
        return scope.transaction(workspaceId, () -> keys.countNotOn(workspaceId, kmsKeyId));
    }

    /**
     * A page of records wrapped under {@code kmsKeyId} ({@code on}) or under any other version; {@code cursor} is
     * null for the first page.
     */
    public Uni<Page> page(String workspaceId, String kmsKeyId, boolean on, String cursor, int limit) {
        requireKeyId(kmsKeyId);
        if (limit < 1 || limit > config.maxBatch()) {
            throw ProblemException.invalid("limit must be between 1 and " + config.maxBatch());
        }
        String afterType = FIRST_TYPE;
        UUID afterId = FIRST_ID;
        if (cursor != null) {
            String[] parts = cursor.split("/", 2);
            try {
                if (parts.length != 2 || !WrappedKeyRepository.TABLES.containsKey(parts[0])) {
                    throw new IllegalArgumentException();
                }
                afterType = parts[0];
                afterId = UUID.fromString(parts[1]);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("cursor is not one this service issued");
            }
        }
        String type = afterType;
        UUID id = afterId;
        return scope.transaction(workspaceId, () -> keys.page(workspaceId, kmsKeyId, on, type, id, limit))
                .map(rows -> new Page(
                        rows,
                        rows.size() < limit
                                ? null
                                : rows.get(rows.size() - 1).recordType() + "/"
                                        + rows.get(rows.size() - 1).recordId()));
    }

    /**
     * Applies each change whose expected wrapped DEK is still stored, in one transaction and one statement per
     * record type; outcomes in order.
     *
     * <p>The label it writes is checked, because a row's {@code kms_key_id} says which version to unwrap with: it
     * must be canonical, come with a new wrapped DEK (a change of label alone is refused: it is a relabelling, never
     * a rewrap), and, on the same key, name a newer version than the stored one (a rewrap only moves forward, to
     * the current version); a change that would move a row back to an older version of its key is not applied
     * (reported as a conflict). A label of another key is a change of master key, applied whatever its version
     * number (the new key's start again at 1): which of two keys is the newer only crypto-service knows, and it
     * re-wraps to the workspace's current key alone, and refuses a relabelled row in any case.
     */
    public Uni<List<Outcome>> compareAndSet(String workspaceId, List<KeySwap> changes) {
        if (changes.isEmpty() || changes.size() > config.maxBatch()) {
            throw ProblemException.invalid("a batch holds 1 to " + config.maxBatch() + " items");
        }
        for (KeySwap change : changes) {
            if (!WrappedKeyRepository.TABLES.containsKey(change.recordType())) {
                throw ProblemException.invalid("unknown recordType '" + change.recordType() + "'; known: "
                        + WrappedKeyRepository.TABLES.keySet().stream().sorted().toList());
            }
            requireKeyId(change.kmsKeyId());
            if (!KmsKeyId.parse(change.kmsKeyId()).toString().equals(change.kmsKeyId())) {
                throw ProblemException.invalid("kmsKeyId must be in canonical form");
            }
            if (java.util.Arrays.equals(change.expectedWrappedDek(), change.wrappedDek())) {
                throw ProblemException.invalid(
                        "a rewrap writes a new wrapped DEK; the label of a stored one is " + "never changed alone");
            }
        }
        if (changes.stream()
                        .map(change -> change.recordType() + "/" + change.recordId())
                        .distinct()
                        .count()
                != changes.size()) {
            throw ProblemException.invalid("a batch holds each record at most once");
        }
        Map<String, List<KeySwap>> byType =
                changes.stream().collect(Collectors.groupingBy(KeySwap::recordType, TreeMap::new, Collectors.toList()));
        return scope.transaction(
                        workspaceId,
                        () -> Multi.createFrom()
                                .iterable(byType.entrySet())
                                .onItem()
                                .transformToUniAndConcatenate(
                                        group -> outcomes(workspaceId, group.getKey(), group.getValue()))
                                .collect()
                                .in(HashMap<UUID, Outcome>::new, Map::putAll))
                .map(outcomes -> changes.stream()
                        .map(change -> outcomes.get(change.recordId()))
                        .toList());
    }

    /** One statement for the batch's records of one type; a record it did not change is a conflict or gone. */
    private Uni<Map<UUID, Outcome>> outcomes(String workspaceId, String recordType, List<KeySwap> changes) {
        return keys.compareAndSet(workspaceId, recordType, changes).chain(applied -> {
            List<UUID> missed = changes.stream()
                    .map(KeySwap::recordId)
                    .filter(id -> !applied.contains(id))
                    .toList();
            Uni<Set<UUID>> existing =
                    missed.isEmpty() ? Uni.createFrom().item(Set.of()) : keys.existing(workspaceId, recordType, missed);
            return existing.map(present -> {
                Map<UUID, Outcome> outcomes = new HashMap<>();
                for (KeySwap change : changes) {
                    UUID id = change.recordId();
                    outcomes.put(
                            id,
                            applied.contains(id)
                                    ? Outcome.APPLIED
                                    : present.contains(id) ? Outcome.CONFLICT : Outcome.NOT_FOUND);
                }
                return outcomes;
            });
        });
    }

    private static void requireKeyId(String kmsKeyId) {
        try {
            KmsKeyId.parse(kmsKeyId);
        } catch (RuntimeException e) {
            throw ProblemException.invalid("kmsKeyId must be <provider>:<key-reference>#v<version>");
        }
    }
}
