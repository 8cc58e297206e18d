package dev.spalce.gateway.system.api;

import dev.spalce.gateway.config.GatewayConfig;
import dev.spalce.kit.api.ProblemException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, before any byte of the body is read, a request to the gateway's own endpoints whose body is larger than
 * {@code spalce.gateway.max-json-body-bytes} (413, problem+json). Vert.x's global limit has to let evidence
 * uploads stream through the workspace routes, so the gateway's JSON endpoints get their own, much smaller one.
 * A body sent without a length is refused as well: these endpoints take small documents, always sent with one.
 */
public class RequestSizeFilter {

    private final long maxBytes;

    public RequestSizeFilter(GatewayConfig config) {
        this.maxBytes = config.maxJsonBodyBytes();
    }

    @ServerRequestFilter(preMatching = true, nonBlocking = true)
    public void limit(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = "chunked".equalsIgnoreCase(request.getHeaderString("Transfer-Encoding"));
        if (length == null && chunked) {
            throw tooLarge("a body without Content-Length");
        }
        if (length != null) {
            long bytes;
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw ProblemException.invalid("Content-Length is not a number");
            }
            if (bytes > maxBytes) {
                throw tooLarge(bytes + " bytes");
            }
        }
    }

    private ProblemException tooLarge(String what) {
        return new ProblemException(
                413,
                "request-too-large",
                "Request too large",
                "this endpoint takes at most " + maxBytes + " bytes of body, not " + what);
    }
}
