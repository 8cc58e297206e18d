package dev.spalce.gateway.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Every way a bearer token can be wrong ends the same way: 401, problem+json, a Bearer challenge. */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class TokenVerificationTest {

    private static ValidatableResponse meWith(String token) {
        return given().auth().oauth2(token).when().get("/api/v1/me").then();
    }

    private static void assertRefused(String token) {
        meWith(token)
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"spalce\", error=\"invalid_token\"")
                .body("type", equalTo("https://spalce.dev/problems/unauthorized"))
                .body("detail", equalTo("a valid bearer token is required"));
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void validToken_isAccepted() {
        meWith(OidcTokens.user("valid-user")).statusCode(200).body("subject", equalTo("valid-user"));
    }

    @Test
    void missingToken_isRefusedWithAChallenge() {
        given().when()
                .get("/api/v1/me")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"spalce\", error=\"invalid_token\"");
    }

    @Test
    void expiredToken_isRefused() {
        assertRefused(OidcTokens.userForTestCase("expired-user", "expired"));
    }

    @Test
    void notYetValidToken_isRefused() {
        assertRefused(OidcTokens.userForTestCase("future-user", "not-yet-valid"));
    }

    @Test
    void tokenForAnotherAudience_isRefused() {
        assertRefused(OidcTokens.userForTestCase("other-audience-user", "wrong-audience"));
    }

    @Test
    void tokenSignedByAnotherKey_isRefused() throws Exception {
        var otherKey = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        String forged = Jwt.issuer(Infrastructure.OIDC_ISSUER)
                .subject("mallory")
                .audience("spalce-api")
                .expiresIn(300)
                .jws()
                .keyId("spalce")
                .sign(otherKey);

        assertRefused(forged);
    }

    @Test
    void tokenFromAnotherIssuer_isRefused() throws Exception {
        var otherKey = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        String foreign = Jwt.issuer("https://idp.attacker.example/spalce")
                .subject("mallory")
                .audience("spalce-api")
                .expiresIn(300)
                .sign(otherKey);

        assertRefused(foreign);
    }

    @Test
    void unsignedTokenWithAlgNone_isRefused() {
        long now = System.currentTimeMillis() / 1000;
        String unsigned = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + base64Url("{\"iss\":\"" + Infrastructure.OIDC_ISSUER
                        + "\",\"sub\":\"mallory\",\"aud\":\"spalce-api\",\"iat\":" + now + ",\"exp\":" + (now + 300)
                        + "}")
                + ".";

        assertRefused(unsigned);
    }

    @Test
    void tokenWithTamperedPayload_isRefused() {
        String[] parts = OidcTokens.user("honest-user").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"honest-user\"", "\"admin\"");
        String tampered = parts[0] + "." + base64Url(payload) + "." + parts[2];

        assertRefused(tampered);
    }

    @Test
    void garbage_isRefused() {
        assertRefused("not.a.jwt");
        assertRefused(base64Url("{}"));
    }

    @Test
    void serviceTokenForTheInternalAudience_isRefusedByThePublicApi() {
        assertRefused(OidcTokens.service("spalce-rewrap-worker", "spalce-evidence"));
    }

    @Test
    void refusals_doNotSayWhyTheTokenFailed() {
        meWith(OidcTokens.userForTestCase("expired-user-2", "expired"))
                .statusCode(401)
                .body(not(containsString("expired")));
    }
}
