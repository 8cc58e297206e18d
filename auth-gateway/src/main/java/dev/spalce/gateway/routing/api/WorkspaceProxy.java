package dev.spalce.gateway.routing.api;

import dev.spalce.contracts.access.Permission;
import dev.spalce.contracts.access.Service;
import dev.spalce.contracts.access.WorkspaceResource;
import dev.spalce.gateway.config.DownstreamServices;
import dev.spalce.gateway.config.GatewayConfig;
import dev.spalce.gateway.readaudit.service.ReadAudit;
import dev.spalce.gateway.routing.service.InternalTokenIssuer;
import dev.spalce.gateway.workspace.service.WorkspaceAccess;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.api.RequestIdFilter;
import dev.spalce.kit.api.TrustedProxies;
import dev.spalce.kit.transport.InternalTransport;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Routes the public workspace API ({@link WorkspaceRoute}) to the internal services. For every request: verify
 * the caller's token, check their role in the workspace grants the method's permission
 * ({@link WorkspaceAccess}), then forward it with a fresh internal token naming user, workspace and role, for
 * that one target service (its audience), in place of the caller's token. The workspace goes on in its one
 * spelling, the canonical {@code UUID.toString()}, in the path and in the token alike. Bodies stream both ways — an upload or download of any size passes through in
 * bounded memory — and the request id goes along. A successful read (a GET answered 2xx) is counted for the audit
 * log ({@link ReadAudit}) before its answer is relayed.
 */
@ApplicationScoped
public class WorkspaceProxy {

    private static final Logger LOG = Logger.getLogger(WorkspaceProxy.class);
    /** The key under which Quarkus' HTTP metrics look for a request's path template. */
    private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";

    private final WorkspaceAccess access;
    private final InternalTokenIssuer tokens;
    private final RouteSupport support;
    private final TrustedProxies proxies;
    private final ReadAudit reads;
    private final Map<Service, URI> targets = new EnumMap<>(Service.class);
    private final Supplier<HttpClient> newClient;
    /**
     * One client (and so one pool of connections) for each event loop that forwards: a pooled connection lives on
     * the event loop that opened it, and a client shared by all of them hands a caller's request a connection of
     * any loop, so every piece of a streamed body would cross from one event-loop thread to another (a task and a
     * wake-up each). With a client per loop, both connections of a forwarded request are served by one thread.
     */
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
    /** For a call from a thread that is not an event loop (none is expected). */
    private final HttpClient sharedClient;

    private final long maxJsonBytes;

    public WorkspaceProxy(
            WorkspaceAccess access,
            InternalTokenIssuer tokens,
            RouteSupport support,
            TrustedProxies proxies,
            ReadAudit reads,
            DownstreamServices services,
            GatewayConfig config,
            Vertx vertx,
            TlsConfigurationRegistry tls) {
        this.access = access;
        this.proxies = proxies;
        this.reads = reads;
        this.tokens = tokens;
        this.support = support;
        targets.put(Service.EVIDENCE, services.evidenceUrl());
        targets.put(Service.CRYPTO, services.cryptoUrl());
        targets.put(Service.REWRAP, services.rewrapUrl());
        targets.put(Service.AUDIT, services.auditUrl());
        this.maxJsonBytes = config.maxRoutedJsonBodyBytes();
        // Mutual TLS to every service, over pooled keep-alive connections: a handshake per new connection only.
        this.newClient = () -> vertx.createHttpClient(InternalTransport.clientOptions(
                new HttpClientOptions()
                        .setConnectTimeout(
                                (int) config.downstream().connectTimeout().toMillis())
                        .setIdleTimeout((int) config.downstream().idleTimeout().toSeconds())
                        // An answer's body in pieces of up to 64 KiB (not 8 KiB): one write to the caller each.
                        .setMaxChunkSize(Forwarding.BODY_PIECE_BYTES)
                        .setMaxPoolSize(64),
                InternalTransport.configuration(tls)));
        this.sharedClient = newClient.get();
    }

    /** A renewed internal certificate is presented on the next new connection, without a restart. */
    void certificateRenewed(@Observes CertificateUpdatedEvent renewed) {
        if (InternalTransport.TLS_CONFIGURATION.equals(renewed.name())) {
            // A client created after this reads the renewed files itself.
            Stream.concat(Stream.of(sharedClient), clients.values().stream())
                    .forEach(client -> client.updateSSLOptions(InternalTransport.renewed(renewed.tlsConfiguration()))
                            .onFailure(failure ->
                                    LOG.errorf("could not take the renewed internal certificate: %s", failure)));
        }
    }

    /** The client of the calling event loop. */
    private HttpClient client() {
        return Context.isOnEventLoopThread()
                ? clients.computeIfAbsent(Thread.currentThread(), loop -> newClient.get())
                : sharedClient;
    }

    void register(@Observes Router router) {
        router.routeWithRegex(WorkspaceRoute.PATH_REGEX).handler(this::route);
    }

    private void route(RoutingContext context) {
        HttpServerRequest request = context.request();
        // The request's own context (its connection's event loop), where it is forwarded from once authorized.
        Context origin = Vertx.currentContext();
        // Hold the body until the caller is authorized; it is then streamed, never buffered.
        request.pause();
        String requestId = support.requestId(context);
        String workspace = context.pathParam("param0");
        WorkspaceResource route = WorkspaceRoute.ofSegment(context.pathParam("param1"));
        // Read by Quarkus' HTTP metrics from the request's own (duplicated) context when the request ends.
        origin.putLocal(URL_PATH_TEMPLATE, WorkspaceRoute.metricsTemplate(route, context.pathParam("param2")));
        Permission permission = route.permissionFor(request.method().name(), context.pathParam("param2"))
                .orElse(null);
        if (permission == null) {
            support.fail(
                    context,
                    requestId,
                    new ProblemException(
                            405, "http-405", "Method Not Allowed", "this method is not allowed on this resource"));
            return;
        }
        ProblemException oversized = oversizedJson(request);
        if (oversized != null) {
            support.fail(context, requestId, oversized);
            return;
        }
        // A refusal is audited with this request's id and client address: a route has no request scope to take them
        // from.
        WorkspaceAccess.RequestFacts facts = new WorkspaceAccess.RequestFacts(
                requestId,
                proxies.clientAddress(
                        request.remoteAddress().hostAddress(), request.headers().getAll("X-Forwarded-For")));
        support.authenticate(context)
                .chain(token -> access.require(token.getSubject(), workspace, permission, facts)
                        .map(role -> new Forward(
                                route,
                                workspace,
                                token.getSubject(),
                                tokens.tokenFor(token.getSubject(), workspace, role, route.service()),
                                requestId)))
                .subscribe()
                .with(
                        call -> origin.runOnContext(ignored -> forward(context, call)),
                        failure -> support.fail(context, requestId, failure));
    }

    /**
     * A JSON body is a small document: one above {@code spalce.gateway.max-routed-json-body-bytes}, or sent without
     * a length, is refused before a byte of it is read (413), rather than streamed to a service whose limit is
     * that of evidence files. An HTTP/1.x request with neither Content-Length nor Transfer-Encoding has no body at
     * all (RFC 9112, section 6.3), whatever its Content-Type says: a GET sent so is not refused.
     */
    private ProblemException oversizedJson(HttpServerRequest request) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String mediaType =
                contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            return null;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null
                && request.version() != HttpVersion.HTTP_2
                && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null) {
            return null;
        }
        long bytes;
        try {
            bytes = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return ProblemException.invalid("Content-Length is not a number");
        }
        if (bytes >= 0 && bytes <= maxJsonBytes) {
            return null;
        }
        return new ProblemException(
                413,
                "request-too-large",
                "Request too large",
                "a JSON body may hold at most " + maxJsonBytes + " bytes, sent with a Content-Length; not "
                        + (bytes < 0 ? "a body without one" : bytes + " bytes"));
    }

    /** One authorized request, on its way to the service: the caller's token is replaced by the internal one. */
    private record Forward(
            WorkspaceResource route, String workspace, String subject, String internalToken, String requestId) {}

    private void forward(RoutingContext context, Forward call) {
        WorkspaceResource route = call.route();
        String workspace = call.workspace();
        String requestId = call.requestId();
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        // The client, not the load balancer in front: believed only from a trusted proxy.
        String clientAddress = proxies.clientAddress(request);
        // The workspace as authorized (canonical), not as typed: a percent-encoded spelling goes on decoded.
        String path =
                request.path().replaceFirst("^/api/v1/workspaces/[^/]+/", "/internal/v1/workspaces/" + workspace + "/");
        URI target =
                targets.get(route.service()).resolve(path + (request.query() == null ? "" : "?" + request.query()));
        RequestOptions options =
                new RequestOptions().setMethod(request.method()).setAbsoluteURI(target.toString());
        client().request(options)
                .compose(outbound -> {
                    Forwarding.copyEndToEnd(request.headers(), outbound.headers(), Set.of());
                    outbound.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + call.internalToken());
                    outbound.putHeader(RequestIdFilter.HEADER, requestId);
                    outbound.putHeader("X-Forwarded-For", clientAddress);
                    return Forwarding.send(request, outbound);
                })
                .onSuccess(inbound -> {
                    if (!isSuccessfulRead(request, inbound)) {
                        relay(inbound, response, requestId);
                        return;
                    }
                    // Counted before a byte of the answer is relayed: a read that cannot be audited is not served.
                    inbound.pause();
                    reads.count(UUID.fromString(workspace), call.subject(), route.segment(), clientAddress, requestId)
                            .subscribe()
                            .with(counted -> relay(inbound, response, requestId), failure -> {
                                LOG.errorf("a read of %s could not be audited: %s", route.segment(), failure);
                                inbound.request().reset();
                                support.fail(context, requestId, ProblemException.unavailable("audit trail", failure));
                            });
                })
                .onFailure(failure -> {
                    LOG.warnf("routing to %s failed: %s", route.service(), failure.toString());
                    if (response.headWritten()) {
                        response.reset();
                    } else if (!request.isEnded() && response.closed()) {
                        // The caller closed the connection before the end of its body: their upload broke off,
                        // whichever side noticed first, and the service was not at fault.
                        support.fail(
                                context,
                                requestId,
                                new ProblemException(
                                        400,
                                        "upload-interrupted",
                                        "Upload interrupted",
                                        "the upload ended before the body was complete; nothing was stored"));
                    } else {
                        support.fail(
                                context,
                                requestId,
                                ProblemException.unavailable(
                                        route.service().name().toLowerCase(Locale.ROOT) + " service", failure));
                    }
                });
    }

    private static boolean isSuccessfulRead(HttpServerRequest request, HttpClientResponse inbound) {
        return request.method() == HttpMethod.GET && inbound.statusCode() >= 200 && inbound.statusCode() < 300;
    }

    private static void relay(HttpClientResponse inbound, HttpServerResponse response, String requestId) {
        response.setStatusCode(inbound.statusCode());
        Forwarding.copyEndToEnd(inbound.headers(), response.headers(), Set.of());
        response.putHeader(RequestIdFilter.HEADER, requestId);
        Forwarding.relayBody(inbound, response);
    }
}
