package dev.spalce.gateway.invitation.api;

import dev.spalce.contracts.access.Role;
import dev.spalce.gateway.invitation.service.InvitationService;
import dev.spalce.kit.api.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Where an invited auditor, signed in with the invited email address, accepts an invitation. */
@Path("/api/v1/invitations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InvitationAcceptanceResource {

    private final InvitationService invitations;
    private final JsonWebToken token;

    public InvitationAcceptanceResource(InvitationService invitations, JsonWebToken token) {
        this.invitations = invitations;
        this.token = token;
    }

    /** @param token the invitation token */
    public record Acceptance(@NotBlank @Size(max = 100) String token) {}

    /** The membership that an accepted invitation created. */
    public record Joined(String workspaceId, Role role, Instant accessUntil) {}

    @POST
    @Path("/accept")
    public Uni<Joined> accept(@Valid @NotNull Acceptance acceptance) {
        String email = token.getClaim("email");
        if (email == null) {
            throw new ProblemException(
                    403,
                    "invitation-not-for-you",
                    "Forbidden",
                    "your identity provider sends no email address, which an invitation is bound to");
        }
        if (!emailVerified()) {
            // Anyone can put any address in an unverified email claim: only a verified one proves the invitee.
            throw new ProblemException(
                    403,
                    "email-not-verified",
                    "Forbidden",
                    "your identity provider has not verified your email address (email_verified is not true), "
                            + "which an invitation is bound to");
        }
        return invitations
                .accept(acceptance.token(), token.getSubject(), email)
                .map(m -> new Joined(m.workspaceId.toString(), m.role, m.accessExpiresAt));
    }

    /** OpenID Connect's {@code email_verified}: true only when the claim is the JSON boolean true. */
    private boolean emailVerified() {
        Object claim = token.getClaim("email_verified");
        return Boolean.TRUE.equals(claim) || jakarta.json.JsonValue.TRUE.equals(claim);
    }
}
