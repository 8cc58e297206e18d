package dev.spalce.gateway.invitation.api;

import dev.spalce.contracts.access.Role;
import dev.spalce.gateway.invitation.service.InvitationService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestResponse;

/** An Owner invites an auditor; {@link InvitationAcceptanceResource} is where the auditor accepts. */
@Path("/api/v1/workspaces/{workspace}/invitations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InvitationResource {

    private final InvitationService invitations;
    private final JsonWebToken token;

    public InvitationResource(InvitationService invitations, JsonWebToken token) {
        this.invitations = invitations;
        this.token = token;
    }

    /**
     * @param email the auditor's email address; they must sign in with it to accept
     * @param accessUntil when the auditor's access ends (RFC 3339), within a year
     * @param validForDays how long the invitation can be accepted, 1 to 30 days (default 7)
     */
    public record NewInvitation(
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull Instant accessUntil,
            @Min(1) @Max(30) Integer validForDays) {}

    /** The invitation; {@code token} appears here once and is stored nowhere, hand it to the auditor. */
    public record IssuedInvitation(
            String id, String workspaceId, Role role, Instant accessUntil, Instant expiresAt, String token) {}

    @POST
    public Uni<RestResponse<IssuedInvitation>> invite(
            @PathParam("workspace") String workspace, @Valid @NotNull NewInvitation request) {
        Duration validFor = request.validForDays() == null ? null : Duration.ofDays(request.validForDays());
        return invitations
                .invite(token.getSubject(), workspace, request.email(), request.accessUntil(), validFor)
                .map(issued -> RestResponse.status(
                        RestResponse.Status.CREATED,
                        new IssuedInvitation(
                                issued.invitation().id.toString(),
                                workspace,
                                Role.AUDITOR,
                                issued.invitation().accessExpiresAt,
                                issued.invitation().expiresAt,
                                issued.token())));
    }
}
