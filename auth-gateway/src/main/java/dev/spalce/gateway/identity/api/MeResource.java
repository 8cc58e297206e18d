package dev.spalce.gateway.identity.api;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditEventPage;
import dev.spalce.gateway.downstream.client.AuditLogClient;
import dev.spalce.kit.api.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The signed-in user: who the verified token says they are, and their recent sign-ins. */
@Path("/api/v1/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private static final int SIGN_INS_SHOWN = 20;

    private final JsonWebToken token;
    private final AuditLogClient auditLog;

    public MeResource(JsonWebToken token, @RestClient AuditLogClient auditLog) {
        this.token = token;
        this.auditLog = auditLog;
    }

    /**
     * @param subject the OIDC subject, the user's stable id
     * @param email the email claim, when the provider sends one
     * @param name the name claim, when the provider sends one
     * @param issuer the provider that signed the token
     */
    public record Me(String subject, String email, String name, String issuer) {}

    @GET
    public Me me() {
        return new Me(token.getSubject(), token.getClaim("email"), token.getClaim("name"), token.getIssuer());
    }

    /** The user's own sign-ins, newest first, as stored in the audit log. */
    @GET
    @Path("/sign-ins")
    public Uni<AuditEventPage> signIns() {
        return auditLog.find(CloudEvent.PLATFORM_WORKSPACE, token.getSubject(), AuditAction.USER_LOGIN, SIGN_INS_SHOWN)
                .onFailure()
                .transform(failure -> ProblemException.unavailable("the audit log", failure));
    }
}
