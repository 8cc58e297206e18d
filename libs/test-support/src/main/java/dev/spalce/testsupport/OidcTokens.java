package dev.spalce.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** Real signed tokens from the shared OIDC server, obtained over HTTP like any client would. */
public final class OidcTokens {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private OidcTokens() {}

    /** An access token for a user (password grant; the local OIDC server accepts any password). */
    public static String user(String username) {
        return token(Map.of(
                "grant_type",
                "password",
                "username",
                username,
                "password",
                "test",
                "client_id",
                "spalce-dashboard",
                "scope",
                "openid"));
    }

    /**
     * A deliberately defective user token from the real OIDC server, for one of the test cases its local
     * configuration defines (deploy/local/config/oidc.json): {@code expired}, {@code not-yet-valid},
     * {@code wrong-audience}. Signed with the server's real key.
     */
    public static String userForTestCase(String username, String testCase) {
        return token(Map.of(
                "grant_type",
                "password",
                "username",
                username,
                "password",
                "test",
                "client_id",
                "spalce-dashboard",
                "scope",
                "openid",
                "test_case",
                testCase));
    }

    /**
     * An access token for a service identity (client credentials) to call the service under test (the audience
     * is {@code spalce.service.audience} of the application the test runs).
     */
    public static String service(String clientId) {
        return service(clientId, ServiceAudiences.underTest());
    }

    /** An access token for a service identity to call the service with this audience, e.g. {@code spalce-crypto}. */
    public static String service(String clientId, String audience) {
        return token(Map.of(
                "grant_type",
                "client_credentials",
                "client_id",
                clientId,
                "client_secret",
                "local-service-secret",
                "audience",
                audience));
    }

    private static String token(Map<String, String> form) {
        Infrastructure.ensureReady();
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(Infrastructure.OIDC_ISSUER + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token endpoint answered " + response.statusCode());
            }
            JsonNode json = JSON.readTree(response.body());
            return json.get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("token endpoint unreachable at " + Infrastructure.OIDC_ISSUER, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
