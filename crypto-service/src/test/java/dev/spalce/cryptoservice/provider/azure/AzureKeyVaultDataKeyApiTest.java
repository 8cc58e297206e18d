package dev.spalce.keyproviders.azure;

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
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.keyproviders.testing.AzureKeyVaultTestServer;
import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A workspace whose CMK is in Azure Key Vault, through crypto-service's API: registered by its key identifier,
 * data keys minted and unwrapped, rotated in Key Vault, rewrapped (unwrap and wrap in crypto-service); a throttling
 * Key Vault is a 503. The Azure SDK's Netty client talks TLS to {@link AzureKeyVaultTestServer}, which also issues
 * the Entra ID tokens.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class AzureKeyVaultDataKeyApiTest {

    private final AzureKeyVaultTestServer vault = KmsTestServers.azure();

    private static boolean warm;

    /**
     * The first Azure SDK call in a JVM loads the SDK and starts Netty and TLS, which on a loaded machine can take
     * longer than the tests' provider deadline: make it before the tests do, so that no assertion depends on it.
     */
    @BeforeEach
    void warmUpTheSdk() {
        if (!warm) {
            String key = vault.createKey();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> register(newWorkspace(), key).statusCode() == 201);
            warm = true;
        }
    }

    @AfterEach
    void vaultAnswersAgain() {
        vault.throttleNext(0);
    }

    @Test
    void registeredAzureKey_mintsUnwrapsRotatesAndRewraps() {
        String workspace = newWorkspace();
        String key = vault.createKey();

        JsonPath registered =
                register(workspace, key).then().statusCode(201).extract().jsonPath();
        assertThat(registered.getString("provider")).isEqualTo("azure-kv");
        assertThat(registered.getBoolean("keyCreated")).isFalse();
        assertThat(registered.getString("currentKmsKeyId")).isEqualTo("azure-kv:" + key + "#v1");

        Minted old = mint(workspace, "evidence", "ev-1");
        assertThat(plaintexts(unwrap(workspace, List.of(old.item())))).containsExactly(old.plaintext());

        assertThat(rotate(workspace).getString("currentKmsKeyId")).isEqualTo("azure-kv:" + key + "#v2");
        Minted fresh = mint(workspace, "evidence", "ev-2");
        vault.clearRequests();
        JsonPath rewrapped = rewrapResponse(workspace, List.of(old.item()))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(fresh.kmsKeyId()).isEqualTo("azure-kv:" + key + "#v2");
        assertThat(rewrapped.getString("items[0].kmsKeyId")).isEqualTo(fresh.kmsKeyId());
        assertThat(vault.requests("unwrapkey")).hasSize(1);
        assertThat(vault.requests("wrapkey")).hasSize(1);
        assertOldFreshAndMovedUnwrap(workspace, old, fresh, moved(old, rewrapped, 0));
    }

    @Test
    void register_anUnknownKeyOrAKeyOutsideTheVaultDomains_isRefused() {
        register(newWorkspace(), vault.vaultUrl() + "/keys/no-such-key")
                .then()
                .statusCode(422)
                .body("type", equalTo(PROBLEM_BASE + "unknown-key-reference"));
        register(newWorkspace(), "https://attacker.example/keys/tenant")
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"));
    }

    @Test
    void mint_whileKeyVaultThrottlesBeyondTheRetries_is503WithRetryAfter() {
        String workspace = newWorkspace();
        register(workspace, vault.createKey()).then().statusCode(201);
        mint(workspace, "evidence", "ev-0");
        vault.clearRequests();
        vault.throttleNext(1_000);

        mintResponse(workspace, "evidence", "ev-1")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo(PROBLEM_BASE + "dependency-unavailable"));

        assertThat(vault.requests("wrapkey")).hasSizeGreaterThanOrEqualTo(4);
        vault.throttleNext(0);
        mintResponse(workspace, "evidence", "ev-1").then().statusCode(200);
    }

    private static Response register(String workspace, String key) {
        return given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "azure-kv", "keyReference", key))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys", workspace);
    }
}
