package dev.spalce.evidence.integration.api;

import dev.spalce.evidence.common.api.Actors;
import dev.spalce.evidence.common.api.RecordIds;
import dev.spalce.evidence.integration.model.Integration;
import dev.spalce.evidence.integration.service.IntegrationService;
import dev.spalce.kit.api.ProblemResponses;
import dev.spalce.kit.api.TextRules;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Integrations of one workspace, for users through the gateway (read-evidence reads, manage-integrations connects
 * and disconnects). Credentials go in once and never come out: every answer shows them masked.
 */
@Path("/internal/v1/workspaces/{workspace}/integrations")
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class IntegrationResource {

    /**
     * @param kind {@code aws}, {@code oauth} or {@code api-token}
     * @param credentials 1 to 16 named secrets (e.g. accessKeyId, secretAccessKey), each at most 8 KiB; stored
     *     encrypted, never returned
     */
    public record ConnectRequest(
            @NotNull @Pattern(regexp = "aws|oauth|api-token") String kind,

            @NotBlank @Size(max = 255) @Pattern(regexp = TextRules.NO_BIDI_CONTROLS, message = TextRules.NO_BIDI_CONTROLS_MESSAGE) String name,

            @NotEmpty @Size(max = 16) Map<@Pattern(regexp = "[A-Za-z][A-Za-z0-9_-]{0,63}") String, @NotNull @Size(min = 1, max = 8192) String>
                    credentials) {

        /** Never the secrets, should this ever be logged. */
        @Override
        public String toString() {
            // Called by validation too, on a request that may lack its credentials: names only, never a value.
            return "ConnectRequest[kind=" + kind + ", name=" + name + ", credentials="
                    + (credentials == null ? "none" : credentials.keySet()) + "]";
        }
    }

    /** @param credentials each credential's name and a masked value ({@code ****} and at most the last 4 characters) */
    public record IntegrationView(
            UUID id,
            String kind,
            String name,
            Map<String, String> credentials,
            String kmsKeyId,
            String connectedBy,
            Instant connectedAt) {

        static IntegrationView of(Integration integration) {
            return new IntegrationView(
                    integration.id,
                    integration.kind,
                    integration.name,
                    IntegrationService.masked(integration),
                    integration.kmsKeyId,
                    integration.connectedBy,
                    integration.connectedAt);
        }
    }

    public record IntegrationList(List<IntegrationView> items) {}

    private final IntegrationService integrations;
    private final Caller caller;

    public IntegrationResource(IntegrationService integrations, Caller caller) {
        this.integrations = integrations;
        this.caller = caller;
    }

    @POST
    public Uni<Response> connect(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @Valid @NotNull ConnectRequest request) {
        caller.requirePermittedUser(workspace);
        return integrations
                .connect(workspace, Actors.of(caller), request.kind(), request.name(), request.credentials())
                .map(integration -> Response.status(201)
                        .entity(IntegrationView.of(integration))
                        .build());
    }

    @GET
    public Uni<IntegrationList> list(@PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace) {
        caller.requirePermittedUser(workspace);
        return integrations
                .list(workspace)
                .map(all -> new IntegrationList(
                        all.stream().map(IntegrationView::of).toList()));
    }

    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = IntegrationView.class)))
    @APIResponse(responseCode = "422", ref = ProblemResponses.RECORD_UNREADABLE)
    @GET
    @Path("/{id}")
    public Uni<IntegrationView> get(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id) {
        caller.requirePermittedUser(workspace);
        return integrations.get(workspace, RecordIds.parse(id, "integration")).map(IntegrationView::of);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> disconnect(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id) {
        caller.requirePermittedUser(workspace);
        return integrations
                .disconnect(workspace, RecordIds.parse(id, "integration"), Actors.of(caller))
                .map(done -> Response.noContent().build());
    }
}
