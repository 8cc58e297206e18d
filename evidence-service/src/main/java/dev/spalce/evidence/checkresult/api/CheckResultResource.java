package dev.spalce.evidence.checkresult.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spalce.evidence.checkresult.service.CheckResultService;
import dev.spalce.evidence.checkresult.service.CheckResultService.NewResult;
import dev.spalce.evidence.checkresult.service.CheckResultService.Result;
import dev.spalce.evidence.common.api.Actors;
import dev.spalce.evidence.common.api.RecordError;
import dev.spalce.evidence.common.api.RecordIds;
import dev.spalce.kit.api.ProblemResponses;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Compliance check results of one workspace, for users through the gateway (read-evidence / upload-evidence). */
@Path("/internal/v1/workspaces/{workspace}/check-results")
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CheckResultResource {

    private static final String LABEL = "[A-Za-z0-9][A-Za-z0-9._:-]{0,63}";
    private static final String STATUS = "pass|fail|error|not-applicable";
    /** One batched mint call to crypto-service covers a run. */
    static final int MAX_RUN_RESULTS = 500;

    /** One control's result in one scan run; {@code details} (free text, encrypted) optional. */
    public record NewCheckResult(
            @NotNull @Pattern(regexp = LABEL) String controlId,
            @NotNull @Pattern(regexp = STATUS) String status,
            @NotNull @Pattern(regexp = LABEL) String runId,
            @Size(max = 100) List<@NotNull UUID> evidenceIds,
            @Size(max = 65536) String details) {}

    /** One control's result within a scan run recorded as a batch; the run id is the batch's. */
    public record RunResult(
            @NotNull @Pattern(regexp = LABEL) String controlId,
            @NotNull @Pattern(regexp = STATUS) String status,
            @Size(max = 100) List<@NotNull UUID> evidenceIds,
            @Size(max = 65536) String details) {}

    /** A scan run's results, 1 to {@value #MAX_RUN_RESULTS}, recorded together. */
    public record NewCheckRun(
            @NotNull @Pattern(regexp = LABEL) String runId,
            @NotNull @Size(min = 1, max = MAX_RUN_RESULTS) List<@Valid @NotNull RunResult> results) {}

    /** A result; one whose details could not be read has null details and {@code error} says why. */
    public record CheckResultView(
            UUID id,
            String controlId,
            String status,
            String runId,
            List<String> evidenceIds,
            String details,
            String kmsKeyId,
            String recordedBy,
            Instant recordedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) RecordError error) {

        static CheckResultView of(Result result) {
            var row = result.row();
            return new CheckResultView(
                    row.id,
                    row.controlId,
                    row.status,
                    row.runId,
                    Arrays.stream(row.evidenceIds.split(","))
                            .filter(id -> !id.isEmpty())
                            .toList(),
                    result.details(),
                    row.kmsKeyId,
                    row.recordedBy,
                    row.recordedAt,
                    RecordError.of(result.unreadable()));
        }
    }

    public record CheckResultList(List<CheckResultView> items) {}

    /** A page newest first; pass {@code nextCursor} as {@code cursor} for the next one (null: the last page). */
    public record CheckResultPage(List<CheckResultView> items, String nextCursor) {}

    private final CheckResultService results;
    private final Caller caller;

    public CheckResultResource(CheckResultService results, Caller caller) {
        this.results = results;
        this.caller = caller;
    }

    @POST
    public Uni<Response> record(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @Valid @NotNull NewCheckResult request) {
        caller.requirePermittedUser(workspace);
        return results.record(
                        workspace,
                        Actors.of(caller),
                        new NewResult(
                                request.controlId(),
                                request.status(),
                                request.runId(),
                                request.evidenceIds() == null ? List.of() : request.evidenceIds(),
                                request.details()))
                .map(result ->
                        Response.status(201).entity(CheckResultView.of(result)).build());
    }

    /**
     * A scan run's results recorded together (201 with them in request order): one call to crypto-service for
     * their data keys and one transaction, so that either all of them are stored or none is.
     */
    @POST
    @Path("/batch")
    public Uni<Response> recordRun(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @Valid @NotNull NewCheckRun request) {
        caller.requirePermittedUser(workspace);
        List<NewResult> run = request.results().stream()
                .map(result -> new NewResult(
                        result.controlId(),
                        result.status(),
                        request.runId(),
                        result.evidenceIds() == null ? List.of() : result.evidenceIds(),
                        result.details()))
                .toList();
        return results.recordRun(workspace, Actors.of(caller), request.runId(), run)
                .map(recorded -> Response.status(201)
                        .entity(new CheckResultList(
                                recorded.stream().map(CheckResultView::of).toList()))
                        .build());
    }

    /**
     * A page of results, newest first (at most {@code limit}, 1 to 100), filtered by control, run and status;
     * pass {@code nextCursor} as {@code cursor} for the next page.
     */
    @GET
    public Uni<CheckResultPage> search(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @QueryParam("control") @Pattern(regexp = LABEL) String control,
            @QueryParam("run") @Pattern(regexp = LABEL) String run,
            @QueryParam("status") @Pattern(regexp = STATUS) String status,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit) {
        caller.requirePermittedUser(workspace);
        return results.search(workspace, Actors.of(caller), control, run, status, cursor, limit)
                .map(page -> new CheckResultPage(
                        page.items().stream().map(CheckResultView::of).toList(), page.nextCursor()));
    }

    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CheckResultView.class)))
    @APIResponse(responseCode = "422", ref = ProblemResponses.RECORD_UNREADABLE)
    @GET
    @Path("/{id}")
    public Uni<CheckResultView> get(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id) {
        caller.requirePermittedUser(workspace);
        return results.get(workspace, RecordIds.parse(id, "check result"), Actors.of(caller))
                .map(CheckResultView::of);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id) {
        caller.requirePermittedUser(workspace);
        return results.delete(workspace, RecordIds.parse(id, "check result"), Actors.of(caller))
                .map(done -> Response.noContent().build());
    }
}
