package dev.spalce.kit.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into a problem+json response. The client gets a stable type, a short detail it can act
 * on and the request id; stack traces and exception messages from libraries stay in the server log.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final RequestMetadata metadata;
    private final ObjectMapper json;

    public ProblemMappers(RequestMetadata metadata, ObjectMapper json) {
        this.metadata = metadata;
        this.json = json;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e, uri);
    }

    /** The response for a problem, for mappers elsewhere in the kit. */
    Response respond(ProblemException e, UriInfo uri) {
        if (e.status() >= 500) {
            LOG.warnf(e.getCause(), "%s: %s", e.title(), e.getMessage());
        }
        Response.ResponseBuilder response = respond(
                Problem.of(e, uri == null ? null : Problem.publicInstance(uri.getPath()), metadata.requestId()));
        e.retryAfter().ifPresent(after -> response.header(HttpHeaders.RETRY_AFTER, Math.max(1, after.toSeconds())));
        return response.build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        return respond(
                        400,
                        type("invalid-request"),
                        "Invalid request",
                        "the request breaks " + violations.size() + " rule(s); see violations",
                        uri,
                        violations)
                .build();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e, UriInfo uri) {
        return unreadableBody(e, uri);
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableBody(e, uri);
    }

    @ServerExceptionMapper
    public Response unmappableJson(JsonMappingException e, UriInfo uri) {
        return unreadableBody(e, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        if (status == 400) {
            // The framework's own refusals of a body or parameter it could not read (e.g. JSON that ends early)
            // are the same client mistake as any other unreadable request.
            return e.getCause() instanceof JsonProcessingException unreadable
                    ? unreadableBody(unreadable, uri)
                    : respond(
                                    400,
                                    type("invalid-request"),
                                    "Invalid request",
                                    "the request's body or parameters cannot be read",
                                    uri,
                                    List.of())
                            .build();
        }
        Response.StatusType statusType = e.getResponse().getStatusInfo();
        String title = statusType == null ? "HTTP " + status : statusType.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no resource at this path";
            case 405 -> "this method is not allowed on this resource";
            case 406 -> "none of the accepted media types can be produced";
            case 415 -> "this media type is not accepted here";
            case 413 -> "the request body is too large";
            default -> title;
        };
        Response.ResponseBuilder response = respond(status, type("http-" + status), title, detail, uri, List.of());
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        var unavailable = DependencyFailure.asUnavailable(e);
        if (unavailable.isPresent()) {
            // Not a bug of this service: the database restarting, out of connections, a peer not answering. The
            // client may retry (503, Retry-After), as for any other dependency that is down.
            return respond(unavailable.get(), uri);
        }
        LOG.error("unexpected failure", e);
        return respond(
                        500,
                        type("internal-error"),
                        "Internal error",
                        "the request could not be completed; quote the request id to support",
                        uri,
                        List.of())
                .build();
    }

    private Response unreadableBody(JsonProcessingException e, UriInfo uri) {
        // Jackson's messages quote the offending input, which may be a secret the client sent: keep the
        // position only.
        String where =
                e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                        ? "at '" + jsonPath(mapping) + "'"
                        : e.getLocation() == null
                                ? ""
                                : "at line " + e.getLocation().getLineNr() + ", column "
                                        + e.getLocation().getColumnNr();
        String detail = e instanceof StrictTextModule.UnstorableTextException text
                ? ("the value " + where + " " + text.reason()).replace("  ", " ")
                : ("the body is not valid JSON for this resource " + where).trim();
        return respond(400, type("invalid-request"), "Invalid request", detail, uri, List.of())
                .build();
    }

    /** Where in the body the failure is, as {@code .field[index].field}: names and positions only, no value. */
    private static String jsonPath(JsonMappingException mapping) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : mapping.getPath()) {
            path.append(step.getFieldName() != null ? "." + step.getFieldName() : "[" + step.getIndex() + "]");
        }
        return path.toString();
    }

    private Response.ResponseBuilder respond(
            int status, URI type, String title, String detail, UriInfo uri, List<Problem.Violation> violations) {
        return respond(new Problem(
                type,
                title,
                status,
                detail,
                uri == null ? null : Problem.publicInstance(uri.getPath()),
                metadata.requestId(),
                violations));
    }

    private Response.ResponseBuilder respond(Problem problem) {
        try {
            return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(json.writeValueAsString(problem));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static URI type(String slug) {
        return URI.create(ProblemException.TYPE_BASE + slug);
    }

    private static String field(ConstraintViolation<?> violation) {
        // "upload.arg0.name" -> "name": the method and parameter are implementation details.
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", List.of(parts).subList(2, parts.length)) : path;
    }
}
