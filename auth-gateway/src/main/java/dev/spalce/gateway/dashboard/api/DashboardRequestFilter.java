package dev.spalce.gateway.dashboard.api;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The first wall against cross-site request forgery on the dashboard's paths, ahead of authentication (and so of
 * sign-out, which Quarkus handles there): a request that changes state must come from the dashboard's own origin.
 * Browsers say where a request comes from ({@code Sec-Fetch-Site}, {@code Origin}); one that says another site is
 * refused. Behind it, the session cookie is SameSite=Strict and every API call needs the session's CSRF token.
 *
 * <p>Outside the dashboard's paths, the dashboard's cookies are dropped before authentication: Quarkus would
 * otherwise take a session cookie as a hint of its tenant anywhere, and the JSON API must only ever be reached with
 * a bearer token (a cookie is sent by the browser on its own, a bearer token is not: no CSRF on the API).
 */
@ApplicationScoped
public class DashboardRequestFilter {

    /** Ahead of CORS (300) and authentication (200): a forged sign-out is refused before it signs anyone out. */
    private static final int PRIORITY = 400;
    /** Every cookie of the dashboard's OIDC tenant (session, split tokens, code flow state) carries it. */
    private static final String DASHBOARD_COOKIE_MARK = "_dashboard";

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    void register(@Observes Filters filters) {
        filters.register(
                context -> {
                    HttpServerRequest request = context.request();
                    if (!DashboardPaths.isDashboard(request.path())) {
                        dropDashboardCookies(request);
                    } else if (!SAFE.contains(request.method()) && !sameOrigin(request)) {
                        context.response()
                                .setStatusCode(403)
                                .putHeader("Content-Type", "text/plain; charset=utf-8")
                                .end("cross-site request refused");
                        return;
                    }
                    context.next();
                },
                PRIORITY);
    }

    private static void dropDashboardCookies(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.COOKIE);
        if (header == null || !header.contains(DASHBOARD_COOKIE_MARK)) {
            return;
        }
        String kept = Arrays.stream(header.split(";"))
                .map(String::strip)
                .filter(cookie -> !cookie.split("=", 2)[0].contains(DASHBOARD_COOKIE_MARK))
                .collect(Collectors.joining("; "));
        if (kept.isEmpty()) {
            request.headers().remove(HttpHeaders.COOKIE);
        } else {
            request.headers().set(HttpHeaders.COOKIE, kept);
        }
    }

    static boolean sameOrigin(HttpServerRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin")) {
            return false;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            // Browsers send Origin on every state-changing request; one without it is not a browser's form or fetch.
            return fetchSite != null;
        }
        return origin.equals(request.scheme() + "://" + request.authority());
    }
}
