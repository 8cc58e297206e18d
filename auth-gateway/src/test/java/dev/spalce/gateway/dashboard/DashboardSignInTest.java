package dev.spalce.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's sign-in as a browser goes through it, against the real OIDC server's login form: the code flow
 * with PKCE, the session cookie's attributes, the JSON API still refusing anything but a bearer token, and the
 * CSRF walls in front of every state change.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class DashboardSignInTest {

    @TestHTTPResource("/")
    URI gateway;

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void unauthenticatedPage_redirectsToTheProvider_withPkceS256_andALaxStateCookie() throws Exception {
        HttpResponse<String> response = get(gateway.resolve("/app/"), null);

        assertThat(response.statusCode()).isEqualTo(302);
        URI authorize = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(authorize.toString()).startsWith(Infrastructure.OIDC_ISSUER + "/authorize");
        Map<String, String> query = query(authorize);
        assertThat(query)
                .containsEntry("response_type", "code")
                .containsEntry("client_id", "spalce-dashboard")
                .containsEntry("code_challenge_method", "S256")
                .containsKey("code_challenge")
                .containsKey("state");
        assertThat(query.get("redirect_uri")).endsWith("/app/signed-in");
        assertThat(response.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie)
                        .startsWith("q_auth_dashboard")
                        .containsIgnoringCase("HttpOnly")
                        .contains("Secure")
                        // Lax, not Strict: it must come back with the provider's cross-site redirect.
                        .contains("SameSite=Lax"));
    }

    @Test
    void signedInSession_isAnEncryptedStrictCookie_theApiStillWantsABearerToken_andChangesNeedTheCsrfToken()
            throws Exception {
        String user = "dash-" + UUID.randomUUID();
        String cookie = signIn(user);

        HttpResponse<String> session = get(gateway.resolve("/app/session"), cookie);
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(session.body())
                .contains("\"subject\":\"" + user + "\"")
                .contains("\"csrfToken\":\"")
                .doesNotContain("eyJ");

        // The JSON API does not take the dashboard's cookie: bearer tokens only.
        assertThat(get(gateway.resolve("/api/v1/me"), cookie).statusCode()).isEqualTo(401);

        URI workspaces = gateway.resolve("/app/api/v1/workspaces");
        String origin = "http://" + gateway.getHost() + ":" + gateway.getPort();
        // No CSRF token: refused before anything is forwarded.
        HttpResponse<String> noToken = post(workspaces, cookie, Map.of("Origin", origin));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("csrf-token-invalid");
        // A token of another session: refused.
        assertThat(post(workspaces, cookie, Map.of("Origin", origin, "X-CSRF-Token", "bm90LXRoZS10b2tlbg"))
                        .statusCode())
                .isEqualTo(403);
        // From another site, even with the right token: refused before authentication.
        String csrf = session.body().replaceAll(".*\"csrfToken\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> crossSite = post(
                workspaces,
                cookie,
                Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site", "X-CSRF-Token", csrf));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).contains("cross-site request refused");
        // A forged local sign-out: refused; the session still works.
        assertThat(post(gateway.resolve("/app/session/sign-out"), cookie, Map.of("Origin", origin))
                        .statusCode())
                .isEqualTo(403);
        assertThat(get(gateway.resolve("/app/session"), cookie).statusCode()).isEqualTo(200);

        // Sign-out here, with the token: the session cookie is cleared.
        HttpResponse<String> signOut =
                post(gateway.resolve("/app/session/sign-out"), cookie, Map.of("Origin", origin, "X-CSRF-Token", csrf));
        assertThat(signOut.statusCode()).isEqualTo(204);
        assertThat(signOut.headers().allValues("Set-Cookie"))
                .anySatisfy(cleared ->
                        assertThat(cleared).startsWith("q_session_dashboard=").containsIgnoringCase("Max-Age=0"));
    }

    @Test
    void dashboardPage_isServedUnderAStrictContentSecurityPolicy() throws Exception {
        String cookie = signIn("csp-" + UUID.randomUUID());

        HttpResponse<String> page = get(gateway.resolve("/app/"), cookie);

        assertThat(page.statusCode()).isEqualTo(200);
        List<String> policies = page.headers().allValues("Content-Security-Policy");
        assertThat(policies)
                .containsExactly("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                        + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        assertThat(page.body())
                .doesNotContain("<script>")
                .doesNotContain("style=")
                .doesNotContain("http://")
                .doesNotContain("https://");
    }

    /** The code flow as a browser runs it: the provider's login form, then back with the code; the session cookies. */
    private String signIn(String user) throws IOException, InterruptedException {
        HttpResponse<String> start = get(gateway.resolve("/app/"), null);
        URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
        String stateCookie = cookies(start);
        HttpResponse<String> login = http.send(
                HttpRequest.newBuilder(authorize)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&claims="
                                        + URLEncoder.encode(
                                                "{\"email\":\"" + user + "@example.com\"}", StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        URI callback = URI.create(login.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> landed =
                get(gateway.resolve(callback.getRawPath() + "?" + callback.getRawQuery()), stateCookie);
        assertThat(landed.statusCode()).isEqualTo(200);
        List<String> sessionCookies = landed.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("q_session_dashboard"))
                .toList();
        assertThat(sessionCookies)
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c)
                        .containsIgnoringCase("HttpOnly")
                        .contains("Secure")
                        .contains("SameSite=Strict")
                        .contains("Path=/app"));
        // Encrypted: each value is a JWE (five parts, a header naming its content encryption), never a readable JWT.
        assertThat(sessionCookies).allSatisfy(c -> {
            String value = c.split(";", 2)[0].split("=", 2)[1];
            assertThat(value.split("\\.", -1)).hasSize(5);
            assertThat(new String(Base64.getUrlDecoder().decode(value.split("\\.")[0]), StandardCharsets.UTF_8))
                    .contains("\"enc\"");
        });
        return cookies(landed);
    }

    private HttpResponse<String> get(URI uri, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String cookie, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Cookie", cookie)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}"));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookies(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .map(c -> c.split(";", 2)[0])
                .filter(c -> !c.endsWith("="))
                .collect(Collectors.joining("; "));
    }

    private static Map<String, String> query(URI uri) {
        return Arrays.stream(uri.getRawQuery().split("&"))
                .map(p -> p.split("=", 2))
                .collect(Collectors.toMap(
                        p -> p[0],
                        p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "",
                        (a, b) -> a));
    }
}
