package dev.spalce.evidence.rewrap.api;

import dev.spalce.contracts.datakey.WrappedKeyItem;
import dev.spalce.contracts.rewrap.WrappedKeys;
import dev.spalce.contracts.rewrap.WrappedKeys.CompareAndSet;
import dev.spalce.contracts.rewrap.WrappedKeys.CompareAndSetResult;
import dev.spalce.contracts.rewrap.WrappedKeys.Count;
import dev.spalce.contracts.rewrap.WrappedKeys.Swap;
import dev.spalce.contracts.rewrap.WrappedKeys.SwapResult;
import dev.spalce.contracts.rewrap.WrappedKeys.VersionCountView;
import dev.spalce.contracts.rewrap.WrappedKeys.VersionCounts;
import dev.spalce.evidence.datakey.model.WrappedKeyRow;
import dev.spalce.evidence.rewrap.config.RewrapSupportConfig;
import dev.spalce.evidence.rewrap.repository.WrappedKeyRepository.KeySwap;
import dev.spalce.evidence.rewrap.repository.WrappedKeyRepository.VersionCount;
import dev.spalce.evidence.rewrap.service.RewrapSupportService;
import dev.spalce.evidence.rewrap.service.RewrapSupportService.Outcome;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The rewrap support API ({@link WrappedKeys}), for rewrap-worker's service identity only (never routed by the
 * gateway): see docs/evidence.md.
 */
@Path(WrappedKeys.PATH)
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RewrapSupportResource {

    private final RewrapSupportService rewrap;
    private final RewrapSupportConfig config;
    private final Caller caller;

    public RewrapSupportResource(RewrapSupportService rewrap, RewrapSupportConfig config, Caller caller) {
        this.rewrap = rewrap;
        this.config = config;
        this.caller = caller;
    }

    /** How many records each CMK version of the workspace wraps. */
    @GET
    @Path("/versions")
    public Uni<VersionCounts> versions(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace) {
        caller.requireService(config.allowedCallers());
        return rewrap.countByVersion(workspace).map(RewrapSupportResource::versionCounts);
    }

    static VersionCounts versionCounts(List<VersionCount> counts) {
        Map<String, Map<String, Long>> byVersion = new TreeMap<>();
        counts.forEach(count -> byVersion
                .computeIfAbsent(count.kmsKeyId(), key -> new TreeMap<>())
                .merge(count.recordType(), count.records(), Long::sum));
        return new VersionCounts(byVersion.entrySet().stream()
                .map(entry -> new VersionCountView(
                        entry.getKey(),
                        entry.getValue().values().stream()
                                .mapToLong(Long::longValue)
                                .sum(),
                        entry.getValue()))
                .toList());
    }

    /** How many records are not (yet) wrapped under {@code notOn}. */
    @GET
    @Path("/count")
    public Uni<Count> count(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @QueryParam("notOn") String notOn) {
        caller.requireService(config.allowedCallers());
        if (notOn == null) {
            throw ProblemException.invalid("the query parameter 'notOn' (a kmsKeyId) is required");
        }
        return rewrap.countNotOn(workspace, notOn).map(Count::new);
    }

    /**
     * The records not wrapped under {@code notOn} (or, with {@code kmsKeyId}, those wrapped under it), a page at a
     * time in a stable order, after the cursor {@code after} (omitted: from the start).
     */
    @GET
    public Uni<WrappedKeys.Page> page(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @QueryParam("notOn") String notOn,
            @QueryParam("kmsKeyId") String kmsKeyId,
            @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("500") int limit) {
        caller.requireService(config.allowedCallers());
        if ((notOn == null) == (kmsKeyId == null)) {
            throw ProblemException.invalid("give exactly one of the query parameters 'notOn' and 'kmsKeyId'");
        }
        boolean on = kmsKeyId != null;
        return rewrap.page(workspace, on ? kmsKeyId : notOn, on, after, limit)
                .map(page -> page(page.items(), page.nextCursor()));
    }

    static WrappedKeys.Page page(List<WrappedKeyRow> rows, String nextCursor) {
        return new WrappedKeys.Page(
                rows.stream()
                        .map(row -> new WrappedKeyItem(
                                row.recordType(),
                                row.recordId().toString(),
                                row.kmsKeyId(),
                                Base64.getEncoder().encodeToString(row.wrappedDek())))
                        .toList(),
                nextCursor);
    }

    /** Stores each new wrapped DEK where the stored one is still the expected one; one outcome per item, in order. */
    @POST
    @Path("/compare-and-set")
    public Uni<CompareAndSetResult> compareAndSet(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @NotNull CompareAndSet request) {
        caller.requireService(config.allowedCallers());
        if (request.items() == null) {
            throw ProblemException.invalid("'items' is required");
        }
        List<KeySwap> changes = new ArrayList<>(request.items().size());
        for (Swap item : request.items()) {
            if (item == null
                    || item.recordType() == null
                    || item.recordId() == null
                    || item.expectedWrappedDek() == null
                    || item.wrappedDek() == null
                    || item.kmsKeyId() == null) {
                throw ProblemException.invalid(
                        "every item needs recordType, recordId, expectedWrappedDek, wrappedDek " + "and kmsKeyId");
            }
            try {
                changes.add(new KeySwap(
                        item.recordType(),
                        UUID.fromString(item.recordId()),
                        Base64.getDecoder().decode(item.expectedWrappedDek()),
                        Base64.getDecoder().decode(item.wrappedDek()),
                        item.kmsKeyId()));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("recordId must be a UUID and wrapped DEKs base64");
            }
        }
        return rewrap.compareAndSet(workspace, changes).map(outcomes -> compareAndSetResult(request, outcomes));
    }

    static CompareAndSetResult compareAndSetResult(CompareAndSet request, List<Outcome> outcomes) {
        List<SwapResult> results = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            results.add(new SwapResult(
                    request.items().get(i).recordType(),
                    request.items().get(i).recordId(),
                    outcomes.get(i).name().toLowerCase(Locale.ROOT).replace('_', '-')));
        }
        return new CompareAndSetResult(
                (int) outcomes.stream().filter(Outcome.APPLIED::equals).count(), results);
    }
}
