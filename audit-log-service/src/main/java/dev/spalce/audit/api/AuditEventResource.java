package dev.spalce.audit.api;

import dev.spalce.audit.repository.AuditEntryRepository.Filter;
import dev.spalce.audit.service.AuditExportService;
import dev.spalce.audit.service.AuditQueryService;
import dev.spalce.audit.signing.SigningKeys;
import dev.spalce.auditchain.VerificationReport;
import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditEventPage;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.contracts.audit.SigningKeysView;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.audit.AuditTrail;
import dev.spalce.kit.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * Internal query, export and verification API of one workspace's audit log. The gateway calls it with its
 * service identity after checking that the user is an Owner or Auditor of the workspace.
 */
@Path("/internal/v1/workspaces/{workspace}/audit-events")
@Authenticated
public class AuditEventResource {

    /** A canonical workspace id, or the platform's own log (any other spelling is refused before this: WorkspaceIdFilter). */
    static final String WORKSPACE_ID = WorkspaceIds.PATTERN + "|" + CloudEvent.PLATFORM_WORKSPACE;

    private static final String LAST = "9223372036854775807";

    /** The gateway's own identity reads the platform log (users' sign-ins) and nothing else needs to. */
    private static final Set<String> SERVICES = Set.of("spalce-auth-gateway");

    /** evidence-service also reads the verifiable export, into a workspace export's archive (docs/export.md). */
    private static final Set<String> EXPORTERS = Set.of("spalce-auth-gateway", "spalce-evidence-service");

    private final AuditQueryService queries;
    private final AuditExportService exports;
    private final Caller caller;
    private final SigningKeys keys;
    private final AuditTrail auditTrail;

    public AuditEventResource(
            AuditQueryService queries,
            AuditExportService exports,
            Caller caller,
            SigningKeys keys,
            AuditTrail auditTrail) {
        this.queries = queries;
        this.exports = exports;
        this.caller = caller;
        this.keys = keys;
        this.auditTrail = auditTrail;
    }

    /** A page of entries, newest first; {@code nextCursor} fetches the next. Times are RFC 3339; {@code to} is exclusive. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AuditEventPage> list(
            @PathParam("workspace") @Pattern(regexp = WORKSPACE_ID) String workspace,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("targetType") String targetType,
            @QueryParam("targetId") String targetId,
            @QueryParam("outcome") @Pattern(regexp = "success|denied|error") String outcome,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        caller.requireWorkspaceOrService(workspace, SERVICES);
        Filter filter =
                new Filter(actor, action, targetType, targetId, outcome, instant("from", from), instant("to", to));
        return queries.page(workspace, filter, cursor, limit).map(AuditBodies::page);
    }

    /** The chain from {@code fromSeq} to {@code toSeq} as JSON Lines, streamed: the verifiable format (docs/audit-log.md). */
    @GET
    @Path("/export.jsonl")
    // Declared as text so that Quarkus streams the lines as they are (a JSON media type would make a JSON
    // array of them); the response says what they are.
    @Produces(MediaType.TEXT_PLAIN)
    public RestMulti<String> exportJsonLines(
            @PathParam("workspace") @Pattern(regexp = WORKSPACE_ID) String workspace,
            @QueryParam("fromSeq") @DefaultValue("1") @Min(1) long fromSeq,
            @QueryParam("toSeq") @DefaultValue(LAST) @Min(1) long toSeq) {
        caller.requireWorkspaceOrService(workspace, EXPORTERS);
        return attachment(
                userAction(
                                workspace,
                                AuditAction.AUDIT_EXPORTED,
                                Map.of(
                                        "format",
                                        "jsonl",
                                        "fromSeq",
                                        Long.toString(fromSeq),
                                        "toSeq",
                                        Long.toString(toSeq)))
                        .onItem()
                        .transformToMulti(ignored -> exports.jsonLines(workspace, fromSeq, toSeq)),
                workspace,
                "jsonl",
                "application/jsonl");
    }

    /** The same as CSV, for spreadsheets. */
    @GET
    @Path("/export.csv")
    @Produces("text/csv")
    public RestMulti<String> exportCsv(
            @PathParam("workspace") @Pattern(regexp = WORKSPACE_ID) String workspace,
            @QueryParam("fromSeq") @DefaultValue("1") @Min(1) long fromSeq,
            @QueryParam("toSeq") @DefaultValue(LAST) @Min(1) long toSeq) {
        caller.requireWorkspaceOrService(workspace, SERVICES);
        return attachment(
                userAction(
                                workspace,
                                AuditAction.AUDIT_EXPORTED,
                                Map.of(
                                        "format",
                                        "csv",
                                        "fromSeq",
                                        Long.toString(fromSeq),
                                        "toSeq",
                                        Long.toString(toSeq)))
                        .onItem()
                        .transformToMulti(ignored -> exports.csv(workspace, fromSeq, toSeq)),
                workspace,
                "csv",
                "text/csv");
    }

    /**
     * Re-checks the stored chain from the first entry against the service's pinned keys and the anchored
     * checkpoints; {@code maxCheckpointAge} (ISO-8601, e.g. {@code PT5M}) also requires a recent checkpoint.
     */
    @GET
    @Path("/verification")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<VerificationReport> verify(
            @PathParam("workspace") @Pattern(regexp = WORKSPACE_ID) String workspace,
            @QueryParam("maxCheckpointAge") String maxCheckpointAge) {
        caller.requireWorkspaceOrService(workspace, SERVICES);
        return exports.verifyStored(workspace, duration("maxCheckpointAge", maxCheckpointAge))
                .call(report -> userAction(
                        workspace,
                        AuditAction.AUDIT_VERIFIED,
                        Map.of(
                                "intact",
                                Boolean.toString(report.intact()),
                                "sealedThroughSeq",
                                Long.toString(report.sealedThroughSeq()),
                                "unsealedEntries",
                                Long.toString(report.unsealedEntries()))));
    }

    /**
     * Records a user's export or verification in the workspace's own log. The gateway's service identity reading
     * the platform log for its own pages is not a user action and is not recorded (it would add an entry per read).
     */
    private Uni<Void> userAction(String workspace, String action, Map<String, String> details) {
        if (!caller.isUserThroughGateway()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> auditTrail.record(
                workspace,
                action,
                Actor.user(caller.subject()),
                new Target("audit-log", workspace),
                Outcome.SUCCESS,
                details));
    }

    /** The public keys checkpoints are signed with (the current one and earlier ones still trusted). */
    @GET
    @Path("/signing-keys")
    @Produces(MediaType.APPLICATION_JSON)
    public SigningKeysView signingKeys(@PathParam("workspace") @Pattern(regexp = WORKSPACE_ID) String workspace) {
        caller.requireWorkspaceOrService(workspace, SERVICES);
        return AuditBodies.signingKeys(keys.published());
    }

    private static RestMulti<String> attachment(
            Multi<String> lines, String workspace, String extension, String contentType) {
        return RestMulti.fromMultiData(lines)
                .header("Content-Type", contentType + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"audit-" + workspace + "." + extension + "\"")
                .build();
    }

    private static Duration duration(String name, String value) {
        try {
            Duration parsed = value == null ? null : Duration.parse(value);
            if (parsed != null && (parsed.isNegative() || parsed.isZero())) {
                throw ProblemException.invalid("query parameter '" + name + "' must be a positive duration");
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid("query parameter '" + name + "' is not an ISO-8601 duration such as PT5M");
        }
    }

    private static Instant instant(String name, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid("query parameter '" + name + "' is not an RFC 3339 UTC time");
        }
    }
}
