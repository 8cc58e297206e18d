package dev.spalce.kit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;

/**
 * The body of every error response (RFC 9457, {@code application/problem+json}).
 *
 * @param type a stable URI naming the kind of problem
 * @param title a short, fixed summary of that kind
 * @param status the HTTP status
 * @param detail what went wrong with this request, safe to show the client
 * @param instance the request's public path ({@link #publicInstance})
 * @param requestId the id to quote to support; it finds the server-side log lines
 * @param violations the fields that broke a rule, for validation problems
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        URI type,
        String title,
        int status,
        String detail,
        String instance,
        String requestId,
        List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The body for a {@link ProblemException} raised by a request to {@code instance}. */
    public static Problem of(ProblemException e, String instance, String requestId) {
        return new Problem(e.type(), e.title(), e.status(), e.getMessage(), instance, requestId, List.of());
    }

    /**
     * The {@code instance} a client may see for a request to {@code path}. The gateway routes
     * {@code /api/v1/workspaces/...} to {@code /internal/v1/workspaces/...} unchanged otherwise, so a routed request
     * is named by its public path; any other internal path is not shown at all (the request id finds it).
     */
    public static String publicInstance(String path) {
        if (path == null || !path.startsWith("/internal/")) {
            return path;
        }
        return path.startsWith("/internal/v1/workspaces/")
                ? "/api/v1/" + path.substring("/internal/v1/".length())
                : null;
    }

    /** One field that broke one rule. */
    public record Violation(String field, String message) {}
}
