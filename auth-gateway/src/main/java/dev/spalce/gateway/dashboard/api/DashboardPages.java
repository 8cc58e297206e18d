package dev.spalce.gateway.dashboard.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's documents. Each is a fixed HTML file that loads ES modules and a style sheet from
 * {@code /assets/dashboard/} (static, same origin, no build step, nothing from elsewhere), under a content
 * security policy that allows nothing inline and nothing from another origin, and no framing.
 */
@ApplicationScoped
public class DashboardPages {

    /** No inline script or style, no other origin, no plugins, no framing, forms only to this origin. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final String app = page("app.html");
    private final String signedIn = page("signed-in.html");
    private final String signedOut = page("signed-out.html");
    private final String invitation = page("invitation.html");

    void register(@Observes Router router) {
        router.get("/")
                .handler(context -> context.response()
                        .setStatusCode(302)
                        .putHeader(HttpHeaders.LOCATION, "/app/")
                        .end());
        // Vert.x matches /app and /app/ alike.
        router.get(DashboardPaths.ROOT + "/").handler(context -> serve(context, app));
        router.get(DashboardPaths.ROOT + "/signed-in").handler(context -> serve(context, signedIn));
        router.get("/signed-out").handler(context -> serve(context, signedOut));
        // Public: an invited auditor opens it before signing in; the token stays in the fragment.
        router.get("/invitation").handler(context -> serve(context, invitation));
    }

    private static void serve(RoutingContext context, String html) {
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .end(html);
    }

    private static String page(String name) {
        try (InputStream in = DashboardPages.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard page missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
