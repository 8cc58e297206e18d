package dev.spalce.kit.api;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Authentication and authorization failures as problem+json. A missing, malformed, expired or untrusted token
 * is a 401 with {@code WWW-Authenticate: Bearer} (RFC 6750) and the same detail whatever the reason, so that a
 * caller learns nothing about why a forged token failed; the reason stays in the server log at debug level.
 * Authentication is not proactive (see the service kit's configuration), so these failures reach the REST
 * layer and its mappers.
 */
public class SecurityProblemMappers {

    static final String CHALLENGE = "Bearer realm=\"spalce\", error=\"invalid_token\"";

    private final ProblemMappers problems;

    public SecurityProblemMappers(ProblemMappers problems) {
        this.problems = problems;
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problems.respond(
                new ProblemException(403, "forbidden", "Forbidden", "this identity may not call this operation"), uri);
    }

    private Response unauthorized(UriInfo uri) {
        Response problem = problems.respond(
                new ProblemException(401, "unauthorized", "Unauthorized", "a valid bearer token is required"), uri);
        return Response.fromResponse(problem)
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                .build();
    }
}
