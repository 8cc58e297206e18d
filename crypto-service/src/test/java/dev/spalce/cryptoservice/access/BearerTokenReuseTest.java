package dev.spalce.cryptoservice.access;

import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.contracts.access.Service;
import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A bearer token's verification is reused for the same token (service-kit's {@code VerifiedTokens}), and that
 * reuse accepts nothing a full verification would refuse: a forged copy and an expired token are still refused.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class BearerTokenReuseTest {

    @Inject
    MeterRegistry metrics;

    @Test
    void sameTokenSentTwice_isVerifiedOnceThenReused() {
        String workspace = newWorkspace();
        register(workspace, "local");
        String token = GatewayTokens.owner(workspace, Service.CRYPTO.audience());
        double verified = count("verified");
        double reused = count("reused");

        readKeys(workspace, token, 200);
        assertThat(count("verified") - verified).isEqualTo(1);
        assertThat(count("reused") - reused).isZero();

        readKeys(workspace, token, 200);
        assertThat(count("verified") - verified).isEqualTo(1);
        assertThat(count("reused") - reused).isEqualTo(1);
    }

    @Test
    void forgedCopyOfAReusedToken_isRefused() {
        String workspace = newWorkspace();
        register(workspace, "local");
        String token = GatewayTokens.owner(workspace, Service.CRYPTO.audience());
        readKeys(workspace, token, 200);

        readKeys(workspace, withSignatureByteFlipped(token), 401);
        readKeys(workspace, token, 200);
    }

    @Test
    void reusedToken_pastItsExpiry_isRefused() throws InterruptedException {
        String workspace = newWorkspace();
        register(workspace, "local");
        Duration lifetime = Duration.ofSeconds(2);
        // The token expires at most this long after now (its expiry is a whole second, rounded down).
        Instant expiredBy = Instant.now().plus(lifetime);
        String token = GatewayTokens.user(
                GatewayTokens.ownerOf(workspace), workspace, "OWNER", Service.CRYPTO.audience(), lifetime);
        readKeys(workspace, token, 200);
        readKeys(workspace, token, 200);

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiredBy).toMillis()) + 1_000);

        readKeys(workspace, token, 401);
    }

    private static void readKeys(String workspace, String token, int status) {
        given().auth()
                .oauth2(token)
                .when()
                .get("/internal/v1/workspaces/{ws}/keys", workspace)
                .then()
                .statusCode(status);
    }

    private double count(String outcome) {
        return metrics.counter("spalce.verified.tokens", "outcome", outcome).count();
    }

    /** The token with one byte of its RS256 signature changed, re-encoded: a well-formed JWT that is not signed. */
    private static String withSignatureByteFlipped(String token) {
        int dot = token.lastIndexOf('.');
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        signature[signature.length / 2] ^= 0x01;
        return token.substring(0, dot + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }
}
