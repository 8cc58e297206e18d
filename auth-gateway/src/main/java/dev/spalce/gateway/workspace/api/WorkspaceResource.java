package dev.spalce.gateway.workspace.api;

import dev.spalce.contracts.access.Role;
import dev.spalce.gateway.workspace.model.Membership;
import dev.spalce.gateway.workspace.service.WorkspaceService;
import dev.spalce.gateway.workspace.service.WorkspaceService.WorkspaceView;
import dev.spalce.kit.api.TextRules;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestResponse;

/** Workspaces and their members. Authorization is {@link dev.spalce.gateway.workspace.service.WorkspaceAccess}'s. */
@Path("/api/v1/workspaces")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceResource {

    private final WorkspaceService workspaces;
    private final JsonWebToken token;

    public WorkspaceResource(WorkspaceService workspaces, JsonWebToken token) {
        this.workspaces = workspaces;
        this.token = token;
    }

    /** @param name a display name, 1 to 200 characters */
    public record NewWorkspace(
            @NotBlank @Size(max = 200) @Pattern(regexp = TextRules.NO_BIDI_CONTROLS, message = TextRules.NO_BIDI_CONTROLS_MESSAGE) String name) {}

    /** @param role the member's role: Owner, Contributor or Viewer (auditors are invited) */
    public record RoleChange(@NotNull Role role) {}

    /** A workspace as its members see it, with the caller's own role. */
    public record WorkspaceDto(String id, String name, String createdBy, Instant createdAt, Role role) {
        static WorkspaceDto of(WorkspaceView view) {
            return new WorkspaceDto(
                    view.workspace().id.toString(),
                    view.workspace().name,
                    view.workspace().createdBy,
                    view.workspace().createdAt,
                    view.role());
        }
    }

    /** A member; {@code accessExpiresAt} is set for auditors. */
    public record MemberDto(String subject, Role role, Instant accessExpiresAt, String addedBy, Instant addedAt) {
        static MemberDto of(Membership m) {
            return new MemberDto(m.subject, m.role, m.accessExpiresAt, m.addedBy, m.addedAt);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<WorkspaceDto>> create(@Valid @NotNull NewWorkspace request) {
        return workspaces
                .create(request.name().strip(), token.getSubject())
                .map(created -> RestResponse.ResponseBuilder.create(
                                RestResponse.Status.CREATED, WorkspaceDto.of(new WorkspaceView(created, Role.OWNER)))
                        .location(URI.create("/api/v1/workspaces/" + created.id))
                        .build());
    }

    @GET
    public Uni<List<WorkspaceDto>> mine() {
        return workspaces
                .ofMember(token.getSubject())
                .map(views -> views.stream().map(WorkspaceDto::of).toList());
    }

    @GET
    @Path("/{workspace}")
    public Uni<WorkspaceDto> get(@PathParam("workspace") String workspace) {
        return workspaces.get(token.getSubject(), workspace).map(WorkspaceDto::of);
    }

    @GET
    @Path("/{workspace}/members")
    public Uni<List<MemberDto>> members(@PathParam("workspace") String workspace) {
        return workspaces
                .members(token.getSubject(), workspace)
                .map(found -> found.stream().map(MemberDto::of).toList());
    }

    @PUT
    @Path("/{workspace}/members/{subject}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<MemberDto> setRole(
            @PathParam("workspace") String workspace,
            @PathParam("subject") @Size(max = 255) String subject,
            @Valid @NotNull RoleChange change) {
        TextRules.requireStorableName("subject", subject);
        return workspaces
                .setRole(token.getSubject(), workspace, subject, change.role())
                .map(MemberDto::of);
    }

    @DELETE
    @Path("/{workspace}/members/{subject}")
    public Uni<RestResponse<Void>> remove(
            @PathParam("workspace") String workspace, @PathParam("subject") String subject) {
        TextRules.requireStorableName("subject", subject);
        return workspaces.removeMember(token.getSubject(), workspace, subject).replaceWith(RestResponse.noContent());
    }
}
