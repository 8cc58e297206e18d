package dev.spalce.gateway.deletion.api;

import dev.spalce.contracts.deletion.WorkspaceShredding.ShreddedKey;
import dev.spalce.gateway.deletion.service.WorkspaceDeletionService;
import dev.spalce.gateway.deletion.service.WorkspaceDeletionService.DeletionState;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Deleting a workspace (docs/deletion.md): an Owner asks, confirming the workspace's name; after the grace period
 * its keys are shredded, its data deleted and its audit log sealed. Authorization is
 * {@link dev.spalce.gateway.workspace.service.WorkspaceAccess}'s (delete-workspace: Owners).
 */
@Path("/api/v1/workspaces/{workspace}/deletion")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceDeletionResource {

    private static final String PROBLEM = "application/problem+json";

    private final WorkspaceDeletionService deletions;
    private final JsonWebToken token;

    public WorkspaceDeletionResource(WorkspaceDeletionService deletions, JsonWebToken token) {
        this.deletions = deletions;
        this.token = token;
    }

    /** @param confirmName the workspace's name, exactly: a deletion is never requested by accident */
    public record DeletionRequest(@NotNull @Size(max = 200) String confirmName) {}

    /**
     * A workspace's deletion.
     *
     * @param state {@code pending} (grace period: readable and exportable, no changes, cancellable), {@code purging}
     *     or {@code purged}
     * @param purgeAfter when the grace period ends
     * @param keys once shredded: each key, destroyed (Spalce created it) or detached (yours: its
     *     {@code disableAdvice} says to disable it in your KMS, since it still decrypts any copy of the data)
     * @param rowsDeleted once purged: rows deleted per table
     * @param objectsDeleted once purged: objects deleted from the object store
     * @param auditSeq once sealed: the position of the audit log's final {@code workspace.deleted} entry
     */
    public record DeletionDto(
            String workspaceId,
            String state,
            String requestedBy,
            Instant requestedAt,
            Instant purgeAfter,
            Instant purgedAt,
            List<ShreddedKey> keys,
            Map<String, Long> rowsDeleted,
            Long objectsDeleted,
            Long auditSeq) {
        static DeletionDto of(DeletionState state) {
            return new DeletionDto(
                    state.deletion().workspaceId.toString(),
                    state.deletion().state,
                    state.deletion().requestedBy,
                    state.deletion().requestedAt,
                    state.deletion().purgeAfter,
                    state.deletion().purgedAt,
                    state.keys() == null ? null : state.keys().keys(),
                    state.data() == null ? null : state.data().rowsDeleted(),
                    state.data() == null ? null : state.data().objectsDeleted(),
                    state.deletion().auditSeq);
        }
    }

    /** Asks for the workspace's deletion once the grace period has passed (202: it is pending). */
    @APIResponse(
            responseCode = "202",
            description = "The deletion is pending until purgeAfter",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DeletionDto.class)))
    @APIResponse(
            responseCode = "409",
            description = "workspace-deletion-pending: a deletion is already pending",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DeletionDto>> request(
            @PathParam("workspace") String workspace, @Valid @NotNull DeletionRequest request) {
        return deletions
                .request(token.getSubject(), workspace, request.confirmName())
                .map(state -> RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED, DeletionDto.of(state))
                        .build());
    }

    /** The deletion's state; after the purge, for the workspace's former Owners only. */
    @GET
    public Uni<DeletionDto> read(@PathParam("workspace") String workspace) {
        return deletions.read(token.getSubject(), workspace).map(DeletionDto::of);
    }

    /** Cancels the deletion during the grace period. */
    @APIResponse(responseCode = "204", description = "Cancelled")
    @APIResponse(
            responseCode = "409",
            description = "workspace-deletion-in-progress: the purge has started and cannot be cancelled",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @DELETE
    public Uni<RestResponse<Void>> cancel(@PathParam("workspace") String workspace) {
        return deletions.cancel(token.getSubject(), workspace).replaceWith(RestResponse.noContent());
    }
}
