package dev.spalce.gateway.routing;

import dev.spalce.gateway.access.Permission;
import dev.spalce.gateway.access.WorkspaceAccess;
import dev.spalce.gateway.config.DownstreamServices;
import dev.spalce.gateway.config.GatewayConfig;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.api.RequestIdFilter;
import dev.spalce.kit.transport.InternalTransport;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
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
import org.jboss.logging.Logger;

/**
 * Routes the public workspace API ({@link WorkspaceRoute}) to the internal services. For every request: verify
 * the caller's token, check their role in the workspace grants the method's permission
 * ({@link WorkspaceAccess}), then forward it with a fresh internal token naming user, workspace and role, in
 * place of the caller's token. Bodies stream both ways — an upload or download of any size passes through in
 * bounded memory — and the request id goes along.
 */
@ApplicationScoped
public class WorkspaceProxy {

    private static final Logger LOG = Logger.getLogger(WorkspaceProxy.class);

    /** Headers that describe one connection, never forwarded (RFC 9110 §7.6.1), and the caller's credentials. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "authorization", "cookie",
            "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-request-id");

    private final WorkspaceAccess access;
    private final InternalTokenIssuer tokens;
    private final RouteSupport support;
    private final Map<WorkspaceRoute.Downstream, URI> targets = new EnumMap<>(WorkspaceRoute.Downstream.class);
    private final HttpClient client;

    public WorkspaceProxy(WorkspaceAccess access, InternalTokenIssuer tokens, RouteSupport support,
                          DownstreamServices services, GatewayConfig config, Vertx vertx,
                          TlsConfigurationRegistry tls) {
        this.access = access;
        this.tokens = tokens;
        this.support = support;
        targets.put(WorkspaceRoute.Downstream.EVIDENCE, services.evidenceUrl());
        targets.put(WorkspaceRoute.Downstream.CRYPTO, services.cryptoUrl());
        targets.put(WorkspaceRoute.Downstream.REWRAP, services.rewrapUrl());
        targets.put(WorkspaceRoute.Downstream.AUDIT, services.auditUrl());
        // Mutual TLS to every service, over pooled keep-alive connections: a handshake per new connection only.
        this.client = vertx.createHttpClient(InternalTransport.clientOptions(new HttpClientOptions()
                .setConnectTimeout((int) config.downstream().connectTimeout().toMillis())
                .setIdleTimeout((int) config.downstream().idleTimeout().toSeconds())
                .setMaxPoolSize(64), InternalTransport.configuration(tls)));
    }

    /** A renewed internal certificate is presented on the next new connection, without a restart. */
    void certificateRenewed(@Observes CertificateUpdatedEvent renewed) {
        if (InternalTransport.TLS_CONFIGURATION.equals(renewed.name())) {
            client.updateSSLOptions(InternalTransport.renewed(renewed.tlsConfiguration()))
                    .onFailure(failure -> LOG.errorf("could not take the renewed internal certificate: %s", failure));
        }
    }

    void register(@Observes Router router) {
        router.routeWithRegex(WorkspaceRoute.PATH_REGEX).handler(this::route);
    }

    private void route(RoutingContext context) {
        HttpServerRequest request = context.request();
        // Hold the body until the caller is authorized; it is then streamed, never buffered.
        request.pause();
        String requestId = support.requestId(context);
        String workspace = context.pathParam("param0");
        WorkspaceRoute route = WorkspaceRoute.ofSegment(context.pathParam("param1"));
        Permission permission = route.permissionFor(request.method()).orElse(null);
        if (permission == null) {
            support.fail(context, requestId, new ProblemException(405, "http-405", "Method Not Allowed",
                    "this method is not allowed on this resource"));
            return;
        }
        support.authenticate(context)
                .chain(token -> access.require(token.getSubject(), workspace, permission)
                        .map(role -> tokens.tokenFor(token.getSubject(), workspace, role)))
                .subscribe().with(
                        internalToken -> forward(context, route, internalToken, requestId),
                        failure -> support.fail(context, requestId, failure));
    }

    private void forward(RoutingContext context, WorkspaceRoute route, String internalToken, String requestId) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        String path = request.path().replaceFirst("^/api/v1/", "/internal/v1/");
        URI target = targets.get(route.downstream()).resolve(path + (request.query() == null ? "" : "?" + request.query()));
        RequestOptions options = new RequestOptions().setMethod(request.method()).setAbsoluteURI(target.toString());
        client.request(options)
                .compose(outbound -> {
                    copyHeaders(request.headers(), outbound.headers());
                    outbound.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + internalToken);
                    outbound.putHeader(RequestIdFilter.HEADER, requestId);
                    outbound.putHeader("X-Forwarded-For", request.remoteAddress().hostAddress());
                    if (!request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                        outbound.setChunked(true);
                    }
                    return outbound.send(request);
                })
                .onSuccess(inbound -> relay(inbound, response, requestId))
                .onFailure(failure -> {
                    LOG.warnf("routing to %s failed: %s", route.downstream(), failure.toString());
                    if (!response.headWritten()) {
                        support.fail(context, requestId, ProblemException.unavailable(
                                route.downstream().name().toLowerCase(Locale.ROOT) + " service", failure));
                    } else {
                        response.reset();
                    }
                });
    }

    private static void relay(HttpClientResponse inbound, HttpServerResponse response, String requestId) {
        response.setStatusCode(inbound.statusCode());
        copyHeaders(inbound.headers(), response.headers());
        response.putHeader(RequestIdFilter.HEADER, requestId);
        if (!inbound.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        inbound.pipeTo(response);
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach((name, value) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                to.add(name, value);
            }
        });
    }
}
