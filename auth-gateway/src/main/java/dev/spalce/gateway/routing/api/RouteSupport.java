package dev.spalce.gateway.routing.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.gateway.identity.service.SignInService;
import dev.spalce.kit.api.DependencyFailure;
import dev.spalce.kit.api.Problem;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.api.RequestIdFilter;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * What the gateway's Vert.x routes (those that stream, outside the REST layer) share with its REST endpoints:
 * the same bearer-token verification and sign-in audit, request ids, and problem+json answers.
 */
@ApplicationScoped
public class RouteSupport {

    private static final Logger LOG = Logger.getLogger(RouteSupport.class);
    private static final Pattern WELL_FORMED_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{8,64}");
    private static final String CHALLENGE = "Bearer realm=\"spalce\", error=\"invalid_token\"";
    private static final ProblemException UNAUTHORIZED =
            new ProblemException(401, "unauthorized", "Unauthorized", "a valid bearer token is required");

    private final SignInService signIns;
    private final ObjectMapper json;

    public RouteSupport(SignInService signIns, ObjectMapper json) {
        this.signIns = signIns;
        this.json = json;
    }

    /**
     * The caller's request id if well-formed, a new one otherwise; from here on it is in the log context of the
     * request (the route runs on the request's own Vert.x context, which carries the MDC).
     */
    public String requestId(RoutingContext context) {
        String offered = context.request().getHeader(RequestIdFilter.HEADER);
        String requestId =
                offered != null && WELL_FORMED_REQUEST_ID.matcher(offered).matches()
                        ? offered
                        : UUID.randomUUID().toString();
        MDC.put(RequestIdFilter.MDC_KEY, requestId);
        return requestId;
    }

    /** The caller's verified token (a sign-in is audited on its first use), or a 401 problem. */
    public Uni<JsonWebToken> authenticate(RoutingContext context) {
        return QuarkusHttpUser.getSecurityIdentity(context, null)
                .onFailure()
                .recoverWithNull()
                .chain(identity -> {
                    if (identity == null
                            || identity.isAnonymous()
                            || !(identity.getPrincipal() instanceof JsonWebToken token)) {
                        return Uni.createFrom().failure(UNAUTHORIZED);
                    }
                    return signIns.recordIfNew(
                                    token.getRawToken(),
                                    token.getSubject(),
                                    token.getIssuer(),
                                    Instant.ofEpochSecond(token.getExpirationTime()))
                            .replaceWith(token);
                });
    }

    /**
     * Answers with the failure as problem+json: a dependency that is down a 503 with Retry-After, anything else but
     * a {@link ProblemException} a logged 500.
     */
    public void fail(RoutingContext context, String requestId, Throwable failure) {
        // A dependency that is down (the gateway's database restarting, say) is a 503 the client may retry.
        ProblemException problem = failure instanceof ProblemException known
                ? known
                : DependencyFailure.asUnavailable(failure)
                        .orElseGet(() -> new ProblemException(
                                500,
                                "internal-error",
                                "Internal error",
                                "the request could not be completed; quote the request id to support"));
        if (problem.status() == 500) {
            LOG.error("routed request failed", failure);
        } else if (!(failure instanceof ProblemException)) {
            LOG.warnf("routed request failed: %s", failure.toString());
        }
        HttpServerResponse response = context.response();
        if (response.headWritten()) {
            // Quarkus' own authentication failure handling may already have answered; nothing more to say.
            return;
        }
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(RequestIdFilter.HEADER, requestId);
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", CHALLENGE);
        }
        problem.retryAfter()
                .ifPresent(after ->
                        response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, after.toSeconds()))));
        try {
            response.end(json.writeValueAsString(
                    Problem.of(problem, context.request().path(), requestId)));
        } catch (JsonProcessingException impossible) {
            response.end();
        }
    }
}
