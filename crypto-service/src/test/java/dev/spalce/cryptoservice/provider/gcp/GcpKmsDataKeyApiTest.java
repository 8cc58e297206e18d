package dev.spalce.keyproviders.gcp;

import static dev.spalce.cryptoservice.support.TestApi.PROBLEM_BASE;
import static dev.spalce.cryptoservice.support.TestApi.assertOldFreshAndMovedUnwrap;
import static dev.spalce.cryptoservice.support.TestApi.mint;
import static dev.spalce.cryptoservice.support.TestApi.mintResponse;
import static dev.spalce.cryptoservice.support.TestApi.moved;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.plaintexts;
import static dev.spalce.cryptoservice.support.TestApi.rewrapResponse;
import static dev.spalce.cryptoservice.support.TestApi.rotate;
import static dev.spalce.cryptoservice.support.TestApi.unwrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.keyproviders.testing.GcpKmsTestServer;
import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A workspace whose CMK is in Cloud KMS, through crypto-service's API: registered by its resource name, data keys
 * minted and unwrapped, rotated in Cloud KMS, rewrapped (unwrap and wrap in crypto-service); a throttling Cloud KMS
 * is a 503. Cloud KMS's REST API is served by {@link GcpKmsTestServer}, which also issues the service account's
 * tokens.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class GcpKmsDataKeyApiTest {

    private final GcpKmsTestServer kms = KmsTestServers.gcp();

    @AfterEach
    void kmsAnswersAgain() {
        kms.throttleNext(0);
    }

    @Test
    void registeredCloudKmsKey_mintsUnwrapsRotatesAndRewraps() {
        String workspace = newWorkspace();
        String key = kms.createKey();

        JsonPath registered =
                register(workspace, key).then().statusCode(201).extract().jsonPath();
        assertThat(registered.getString("provider")).isEqualTo("gcp-kms");
        assertThat(registered.getString("currentKmsKeyId")).isEqualTo("gcp-kms:" + key + "#v1");

        Minted old = mint(workspace, "evidence", "ev-1");
        assertThat(plaintexts(unwrap(workspace, List.of(old.item())))).containsExactly(old.plaintext());

        assertThat(rotate(workspace).getString("currentKmsKeyId")).isEqualTo("gcp-kms:" + key + "#v2");
        Minted fresh = mint(workspace, "evidence", "ev-2");
        kms.clearRequests();
        JsonPath rewrapped = rewrapResponse(workspace, List.of(old.item()))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(fresh.kmsKeyId()).isEqualTo("gcp-kms:" + key + "#v2");
        assertThat(rewrapped.getString("items[0].kmsKeyId")).isEqualTo(fresh.kmsKeyId());
        assertThat(kms.requests())
                .extracting(GcpKmsTestServer.Request::operation)
                .containsExactly("decrypt", "encrypt");
        assertOldFreshAndMovedUnwrap(workspace, old, fresh, moved(old, rewrapped, 0));
    }

    @Test
    void register_anUnknownKeyOrAMalformedName_isRefused() {
        register(newWorkspace(), "projects/spalce-test/locations/europe-west1/keyRings/spalce/cryptoKeys/no-such-key")
                .then()
                .statusCode(422)
                .body("type", equalTo(PROBLEM_BASE + "unknown-key-reference"));
        register(newWorkspace(), "tenant-key")
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"));
    }

    @Test
    void mint_whileCloudKmsThrottlesBeyondTheRetries_is503WithRetryAfter() {
        String workspace = newWorkspace();
        register(workspace, kms.createKey()).then().statusCode(201);
        kms.throttleNext(1_000);

        mintResponse(workspace, "evidence", "ev-1")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo(PROBLEM_BASE + "dependency-unavailable"));

        assertThat(kms.requests("encrypt")).hasSizeGreaterThanOrEqualTo(4);
        kms.throttleNext(0);
        mintResponse(workspace, "evidence", "ev-1").then().statusCode(200);
    }

    private static Response register(String workspace, String key) {
        return given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "gcp-kms", "keyReference", key))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys", workspace);
    }
}
