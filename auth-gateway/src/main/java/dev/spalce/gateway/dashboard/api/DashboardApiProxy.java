package dev.spalce.gateway.dashboard.api;

import dev.spalce.gateway.dashboard.config.DashboardConfig;
import dev.spalce.gateway.dashboard.service.CsrfTokens;
import dev.spalce.gateway.routing.api.Forwarding;
import dev.spalce.gateway.routing.api.RouteSupport;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.api.RequestIdFilter;
import dev.spalce.kit.api.TrustedProxies;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * The dashboard's way into the JSON API: {@code /app/api/v1/...} is sent on to the gateway's own
 * {@code /api/v1/...} with the signed-in session's access token as the bearer token, so that every request the
 * dashboard makes is authorized exactly as any API client's is (the server refuses what the role does not
 * grant, whatever the page shows). A request that changes state must carry the session's CSRF token. The token
 * never reaches the browser; cookies never reach the API. Bodies stream both ways (uploads, downloads, the
 * rewrap progress events).
 */
@ApplicationScoped
public class DashboardApiProxy {

    private static final Logger LOG = Logger.getLogger(DashboardApiProxy.class);

    static final ProblemException CSRF_REFUSED = DashboardSessionResource.csrfRefused();
    private static final ProblemException SIGNED_OUT =
            new ProblemException(401, "unauthorized", "Unauthorized", "the dashboard session has ended; sign in again");
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD);
    /** Besides what {@link Forwarding} always withholds: the browser's own credentials and origin. */
    private static final Set<String> BROWSER_ONLY =
            Set.of("set-cookie", "origin", "referer", CsrfTokens.HEADER.toLowerCase(Locale.ROOT));

    /** The API's answer headers the browser gets; the security headers are the gateway's own, added once. */
    private static final Set<String> RELAYED = Set.of(
            "content-type",
            "content-length",
            "content-disposition",
            "location",
            "retry-after",
            "etag",
            "last-modified");

    private final CsrfTokens csrf;
    private final RouteSupport support;
    private final TrustedProxies proxies;
    private final URI api;
    private final HttpClient client;

    public DashboardApiProxy(
            CsrfTokens csrf,
            RouteSupport support,
            TrustedProxies proxies,
            DashboardConfig config,
            Vertx vertx,
            @ConfigProperty(name = "spalce.tls.certificate") String certificate) {
        this.csrf = csrf;
        this.support = support;
        this.proxies = proxies;
        this.api = config.apiUrl();
        // The gateway calls itself: it trusts exactly its own certificate, which names a public host, not loopback.
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(certificate))
                .setVerifyHost(false)
                .setMaxPoolSize(32));
    }

    void register(@Observes Router router) {
        router.route(DashboardPaths.API_PREFIX + "v1/*").handler(this::route);
    }

    private void route(RoutingContext context) {
        HttpServerRequest request = context.request();
        request.pause();
        String requestId = support.requestId(context);
        QuarkusHttpUser.getSecurityIdentity(context, null)
                .onFailure()
                .recoverWithNull()
                .subscribe()
                .with(
                        identity -> {
                            String accessToken = accessToken(identity);
                            if (accessToken == null) {
                                support.fail(context, requestId, SIGNED_OUT);
                            } else if (!SAFE.contains(request.method())
                                    && !(identity.getPrincipal() instanceof JsonWebToken id
                                            && csrf.matches(id, request.getHeader(CsrfTokens.HEADER)))) {
                                support.fail(context, requestId, CSRF_REFUSED);
                            } else {
                                forward(context, accessToken, requestId);
                            }
                        },
                        failure -> support.fail(context, requestId, failure));
    }

    private static String accessToken(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        return credential == null ? null : credential.getToken();
    }

    private void forward(RoutingContext context, String accessToken, String requestId) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        String path = request.path().substring(DashboardPaths.API_PREFIX.length() - 1);
        URI target = api.resolve("/api" + path + (request.query() == null ? "" : "?" + request.query()));
        RequestOptions options =
                new RequestOptions().setMethod(request.method()).setAbsoluteURI(target.toString());
        client.request(options)
                .compose(outbound -> {
                    Forwarding.copyEndToEnd(request.headers(), outbound.headers(), BROWSER_ONLY);
                    outbound.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken);
                    outbound.putHeader(RequestIdFilter.HEADER, requestId);
                    // The API audits the browser's address, not this relay's loopback one; it believes it on the proof.
                    outbound.putHeader("X-Forwarded-For", proxies.clientAddress(request));
                    outbound.putHeader(TrustedProxies.SELF_RELAY_HEADER, proxies.selfRelayProof());
                    // A browser that goes away (a closed event stream, a cancelled download) ends the inner call too.
                    response.closeHandler(closed -> outbound.reset());
                    return Forwarding.send(request, outbound);
                })
                .onSuccess(inbound -> {
                    response.setStatusCode(inbound.statusCode());
                    Forwarding.copyHeaders(inbound.headers(), response.headers(), RELAYED::contains);
                    response.putHeader(RequestIdFilter.HEADER, requestId);
                    response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                    Forwarding.relayBody(inbound, response);
                })
                .onFailure(failure -> {
                    LOG.warnf("the dashboard's call to the API failed: %s", failure.toString());
                    if (!response.headWritten()) {
                        support.fail(context, requestId, ProblemException.unavailable("gateway API", failure));
                    } else {
                        response.reset();
                    }
                });
    }
}
