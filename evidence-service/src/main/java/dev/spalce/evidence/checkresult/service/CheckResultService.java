package dev.spalce.evidence.checkresult.service;

import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.crypto.AssociatedData;
import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.FieldCiphers;
import dev.spalce.crypto.PayloadFormat;
import dev.spalce.evidence.checkresult.model.CheckResult;
import dev.spalce.evidence.checkresult.repository.CheckResultRepository;
import dev.spalce.evidence.common.api.Actors;
import dev.spalce.evidence.common.api.EvidenceProblems;
import dev.spalce.evidence.common.repository.KeysetCursor;
import dev.spalce.evidence.common.repository.WorkspaceScope;
import dev.spalce.evidence.datakey.model.WrappedKeyRow;
import dev.spalce.evidence.datakey.service.DataKeys;
import dev.spalce.evidence.datakey.service.MintedKey;
import dev.spalce.evidence.datakey.service.OpenedKey;
import dev.spalce.evidence.datakey.service.UnreadableRecords;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.audit.AuditTrail;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Compliance check results: stored with their details encrypted under a fresh DEK; queried by control, run and
 * status, a page's details decrypted with one batched unwrap call. Recording one is audited as
 * {@code scan.completed}.
 */
@ApplicationScoped
public class CheckResultService {

    /** The record type check-result DEKs are minted for. */
    public static final String RECORD_TYPE = "check-result";

    static final String FIELD = "details";

    /** What a scan reports about one control. */
    public record NewResult(String controlId, String status, String runId, List<UUID> evidenceIds, String details) {}

    /**
     * A stored result with its details decrypted, or, when they could not be read, null details and the problem
     * in {@code unreadable}.
     */
    public record Result(CheckResult row, String details, ProblemException unreadable) {

        Result(CheckResult row, String details) {
            this(row, details, null);
        }
    }

    private final CheckResultRepository results;
    private final WorkspaceScope scope;
    private final DataKeys dataKeys;
    private final AuditTrail audit;
    private final UnreadableRecords unreadable;

    public CheckResultService(
            CheckResultRepository results,
            WorkspaceScope scope,
            DataKeys dataKeys,
            AuditTrail audit,
            UnreadableRecords unreadable) {
        this.results = results;
        this.scope = scope;
        this.dataKeys = dataKeys;
        this.audit = audit;
        this.unreadable = unreadable;
    }

    public Uni<Result> record(String workspaceId, Actor actor, NewResult result) {
        UUID id = UUID.randomUUID();
        return dataKeys.mint(workspaceId, RECORD_TYPE, id.toString()).chain(minted -> {
            CheckResult row;
            try (minted) {
                row = encrypted(workspaceId, actor, id, result, minted);
            }
            return scope.transaction(
                            workspaceId,
                            () -> results.persist(row)
                                    .call(() -> audit.record(
                                            workspaceId,
                                            AuditAction.SCAN_COMPLETED,
                                            actor,
                                            new Target("check-result", id.toString()),
                                            Outcome.SUCCESS,
                                            Map.of("control", row.controlId, "status", row.status, "run", row.runId))))
                    .map(stored -> new Result(row, detailsOf(result)));
        });
    }

    /**
     * A scan run's results (1 to 500) stored together: one batched mint call for their DEKs, one transaction, one
     * {@code scan.completed} audit event for the run with its counts per status. All are stored or none is.
     */
    public Uni<List<Result>> recordRun(String workspaceId, Actor actor, String runId, List<NewResult> run) {
        List<UUID> ids = run.stream().map(result -> UUID.randomUUID()).toList();
        return dataKeys.mintAll(
                        workspaceId,
                        RECORD_TYPE,
                        ids.stream().map(UUID::toString).toList())
                .chain(minted -> {
                    List<CheckResult> rows = new ArrayList<>(run.size());
                    try {
                        for (int i = 0; i < run.size(); i++) {
                            rows.add(encrypted(workspaceId, actor, ids.get(i), run.get(i), minted.get(i)));
                        }
                    } finally {
                        minted.forEach(MintedKey::close);
                    }
                    Map<String, String> details = new TreeMap<>();
                    details.put("run", runId);
                    details.put("results", Integer.toString(rows.size()));
                    rows.stream()
                            .collect(Collectors.groupingBy(row -> row.status, Collectors.counting()))
                            .forEach((status, count) -> details.put(status, Long.toString(count)));
                    return scope.transaction(
                                    workspaceId,
                                    () -> results.persist(rows)
                                            .call(() -> audit.record(
                                                    workspaceId,
                                                    AuditAction.SCAN_COMPLETED,
                                                    actor,
                                                    new Target("check-run", runId),
                                                    Outcome.SUCCESS,
                                                    details)))
                            .map(stored -> {
                                List<Result> recorded = new ArrayList<>(rows.size());
                                for (int i = 0; i < rows.size(); i++) {
                                    recorded.add(new Result(rows.get(i), detailsOf(run.get(i))));
                                }
                                return recorded;
                            });
                });
    }

    /** The row of {@code result}, its details encrypted under {@code minted}'s DEK (which the caller closes). */
    private static CheckResult encrypted(String workspaceId, Actor actor, UUID id, NewResult result, MintedKey minted) {
        CheckResult row = new CheckResult();
        row.detailsCt = FieldCiphers.aesGcm(minted.dek())
                .encrypt(
                        detailsOf(result).getBytes(StandardCharsets.UTF_8),
                        AssociatedData.forField(workspaceId, RECORD_TYPE, id.toString(), FIELD));
        row.wrappedDek = minted.wrappedDek();
        row.kmsKeyId = minted.kmsKeyId();
        row.id = id;
        row.workspaceId = workspaceId;
        row.controlId = result.controlId();
        row.status = result.status();
        row.runId = result.runId();
        row.evidenceIds = String.join(
                ",", result.evidenceIds().stream().map(UUID::toString).toList());
        row.formatVersion = (short) PayloadFormat.FIELD_AES_GCM.version();
        row.recordedBy = Actors.stored(actor);
        row.recordedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return row;
    }

    private static String detailsOf(NewResult result) {
        return result.details() == null ? "" : result.details();
    }

    public Uni<Result> get(String workspaceId, UUID id, Actor actor) {
        return scope.transaction(
                        workspaceId,
                        () -> results.find(workspaceId, id)
                                .onItem()
                                .ifNull()
                                .failWith(() -> ProblemException.notFound("check result", id.toString()))
                                .chain(row -> decrypt(workspaceId, actor, List.of(row))))
                .map(found -> {
                    Result result = found.get(0);
                    if (result.unreadable() != null) {
                        // Audited and counted by the read, whose transaction committed.
                        throw result.unreadable();
                    }
                    return result;
                });
    }

    /** A page of results, newest first; {@code nextCursor} is null on the last page. */
    public record Page(List<Result> items, String nextCursor) {}

    /**
     * A page of results, newest first, after {@code cursor} (null: from the newest); one whose details cannot be
     * read is returned marked with its problem.
     */
    public Uni<Page> search(
            String workspaceId, Actor actor, String controlId, String runId, String status, String cursor, int limit) {
        KeysetCursor after = KeysetCursor.parse(cursor);
        // One row more than the page holds says whether another page follows, so the last page has no cursor
        // (a full last page would otherwise lead to an empty one).
        return scope.transaction(
                workspaceId,
                () -> results.search(workspaceId, controlId, runId, status, after, limit + 1)
                        .chain(rows -> decrypt(workspaceId, actor, rows.subList(0, Math.min(rows.size(), limit)))
                                .map(found -> {
                                    if (rows.size() <= limit) {
                                        return new Page(found, null);
                                    }
                                    CheckResult last =
                                            found.get(found.size() - 1).row();
                                    return new Page(found, KeysetCursor.after(last.recordedAt, last.id));
                                })));
    }

    public Uni<Void> delete(String workspaceId, UUID id, Actor actor) {
        return scope.transaction(
                workspaceId,
                () -> results.find(workspaceId, id)
                        .onItem()
                        .ifNull()
                        .failWith(() -> ProblemException.notFound("check result", id.toString()))
                        .call(results::delete)
                        .call(row -> audit.record(
                                workspaceId,
                                AuditAction.CHECK_RESULT_DELETED,
                                actor,
                                new Target("check-result", id.toString()),
                                Outcome.SUCCESS,
                                Map.of()))
                        .replaceWithVoid());
    }

    /** Opens the rows' DEKs with one unwrap call; a row that cannot be read is marked, audited and counted. */
    private Uni<List<Result>> decrypt(String workspaceId, Actor actor, List<CheckResult> rows) {
        return dataKeys.unwrapEach(
                        workspaceId,
                        rows.stream()
                                .map(row -> WrappedKeyRow.of(RECORD_TYPE, row))
                                .toList())
                .map(keys -> {
                    List<Result> decrypted = new ArrayList<>(rows.size());
                    try {
                        for (int i = 0; i < rows.size(); i++) {
                            OpenedKey opened = keys.get(i);
                            decrypted.add(
                                    opened.problem() != null
                                            ? new Result(rows.get(i), null, opened.problem())
                                            : decrypted(workspaceId, rows.get(i), opened.key()));
                        }
                    } finally {
                        keys.forEach(OpenedKey::close);
                    }
                    return decrypted;
                })
                .call(decrypted -> unreadable.reportEach(
                        workspaceId,
                        actor,
                        RECORD_TYPE,
                        decrypted,
                        result -> result.row().id.toString(),
                        Result::unreadable));
    }

    private static Result decrypted(String workspaceId, CheckResult row, DataKey dek) {
        try {
            return new Result(
                    row,
                    new String(
                            FieldCiphers.aesGcm(dek)
                                    .decrypt(
                                            row.detailsCt,
                                            AssociatedData.forField(
                                                    workspaceId, RECORD_TYPE, row.id.toString(), FIELD)),
                            StandardCharsets.UTF_8));
        } catch (BadCiphertextException e) {
            return new Result(row, null, EvidenceProblems.integrityFailure("stored check details"));
        }
    }
}
