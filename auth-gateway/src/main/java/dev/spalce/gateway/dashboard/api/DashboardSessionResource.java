package dev.spalce.gateway.dashboard.api;

import dev.spalce.gateway.dashboard.service.CsrfTokens;
import dev.spalce.kit.api.ProblemException;
import io.quarkus.oidc.IdToken;
import io.quarkus.oidc.OidcSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The signed-in browser's session: who it is and its CSRF token ({@code GET /app/session}), and a sign-out that
 * ends the session here only ({@code POST /app/session/sign-out}; {@code /app/sign-out} also ends it at the
 * provider). Its tokens are never returned.
 */
@Path("/app/session")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DashboardSessionResource {

    // @IdToken qualifies fields and methods only, hence field injection for this one.
    @Inject
    @IdToken
    JsonWebToken idToken;

    private final OidcSession session;
    private final CsrfTokens csrf;

    public DashboardSessionResource(OidcSession session, CsrfTokens csrf) {
        this.session = session;
        this.csrf = csrf;
    }

    /** @param csrfToken to send in X-CSRF-Token with every state change */
    public record SessionView(String subject, String name, String email, String csrfToken) {}

    @GET
    public SessionView current() {
        return new SessionView(
                idToken.getSubject(), idToken.getClaim("name"), idToken.getClaim("email"), csrf.tokenFor(idToken));
    }

    @POST
    @Path("/sign-out")
    public Uni<RestResponse<Void>> signOutHere(@HeaderParam(CsrfTokens.HEADER) String offered) {
        if (!csrf.matches(idToken, offered)) {
            throw DashboardApiProxy.CSRF_REFUSED;
        }
        return session.logout().replaceWith(RestResponse.noContent());
    }

    static ProblemException csrfRefused() {
        return new ProblemException(
                403,
                "csrf-token-invalid",
                "Forbidden",
                "this session's CSRF token is required in " + CsrfTokens.HEADER);
    }
}
