package dev.spalce.kit.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every request an id: the caller's {@value #HEADER} when it is well-formed (so a request can be followed
 * from the gateway through every service), a fresh one otherwise. The id goes into the log context, the
 * response header, problem responses and audit events, with the client's address ({@link TrustedProxies}).
 */
public class RequestIdFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    /** Ids are echoed into logs and headers: accept only a short, plain token so nothing can be injected. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    private final RequestMetadata metadata;
    private final TrustedProxies proxies;

    public RequestIdFilter(RequestMetadata metadata, TrustedProxies proxies) {
        this.metadata = metadata;
        this.proxies = proxies;
    }

    @ServerRequestFilter(preMatching = true, nonBlocking = true)
    public void assignRequestId(ContainerRequestContext request, HttpServerRequest httpRequest) {
        String offered = request.getHeaderString(HEADER);
        String requestId = offered != null && WELL_FORMED.matcher(offered).matches()
                ? offered
                : UUID.randomUUID().toString();
        // The client behind a trusted proxy (the gateway, a load balancer); otherwise the peer itself.
        String sourceAddress = proxies.clientAddress(httpRequest);
        metadata.set(requestId, sourceAddress);
        MDC.put(MDC_KEY, requestId);
    }

    @ServerResponseFilter
    public void echoRequestId(ContainerResponseContext response) {
        if (metadata.requestId() != null) {
            response.getHeaders().putSingle(HEADER, metadata.requestId());
        }
        MDC.remove(MDC_KEY);
    }
}
