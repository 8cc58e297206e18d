package dev.spalce.cryptoservice.retirement;

import static dev.spalce.cryptoservice.support.TestApi.GATEWAY;
import static dev.spalce.cryptoservice.support.TestApi.PROBLEM_BASE;
import static dev.spalce.cryptoservice.support.TestApi.mint;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.plaintexts;
import static dev.spalce.cryptoservice.support.TestApi.registerResponse;
import static dev.spalce.cryptoservice.support.TestApi.rewrapResponse;
import static dev.spalce.cryptoservice.support.TestApi.rotate;
import static dev.spalce.cryptoservice.support.TestApi.token;
import static dev.spalce.cryptoservice.support.TestApi.unwrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.keyproviders.testing.SoftHsmToken;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A retired version unwraps nothing, whatever {@code kms_key_id} a row carries: for every provider, a DEK wrapped
 * under version 1, with version 1 retired, is refused when its label says version 2 (a row relabelled in the
 * database, or through rewrap's compare-and-set), by unwrap and by rewrap alike.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class RelabelledRowTest {

    private static final List<String> REFUSALS =
            List.of(PROBLEM_BASE + "bad-wrapped-key", PROBLEM_BASE + "key-version-disabled");

    /** Registers a key of {@code provider} for a new workspace: one the provider creates, or one its test server made. */
    private static String registered(String provider) {
        String workspace = newWorkspace();
        String keyReference = switch (provider) {
            case "aws-kms" -> KmsTestServers.aws().createKey();
            case "vault-transit" -> KmsTestServers.vault().createKey(true);
            case "azure-kv" -> KmsTestServers.azure().createKey();
            case "gcp-kms" -> KmsTestServers.gcp().createKey();
            default -> null; // local and pkcs11 create the key
        };
        // The first call of a cloud SDK in this JVM may outlast the provider's deadline on a loaded machine.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> registerResponse(workspace, provider, keyReference).statusCode() == 201);
        return workspace;
    }

    private static void retire(String workspace, int version) {
        given().auth()
                .oauth2(token(GATEWAY))
                .contentType(ContentType.JSON)
                .body(Map.of("state", "retired"))
                .when()
                .put("/internal/v1/workspaces/{ws}/keys/versions/{v}/state", workspace, version)
                .then()
                .statusCode(200);
    }

    private static Minted relabelled(Minted minted, int version) {
        String label = minted.kmsKeyId().substring(0, minted.kmsKeyId().lastIndexOf("#v")) + "#v" + version;
        return new Minted(minted.plaintext(), minted.wrapped(), label, minted.recordType(), minted.recordId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "pkcs11", "aws-kms", "vault-transit", "azure-kv", "gcp-kms"})
    void unwrapAndRewrap_ofARetiredVersionsDekRelabelledToTheCurrentVersion_areRefused(String provider) {
        Assumptions.assumeTrue(
                !provider.equals("pkcs11") || SoftHsmToken.get().isPresent(), "SoftHSM2 is not available here");
        String workspace = registered(provider);
        Minted old = mint(workspace, "personnel", "p-1");
        assertThat(old.kmsKeyId()).endsWith("#v1");
        rotate(workspace);
        Minted fresh = mint(workspace, "personnel", "p-2");
        assertThat(fresh.kmsKeyId()).endsWith("#v2");
        retire(workspace, 1);
        Minted forged = relabelled(old, 2);

        JsonPath unwrapped = unwrap(workspace, List.of(fresh.item(), forged.item(), old.item()));

        assertThat(plaintexts(unwrapped).get(0)).as("the genuine version 2 DEK").isEqualTo(fresh.plaintext());
        assertThat(plaintexts(unwrapped).subList(1, 3)).containsOnlyNulls();
        assertThat(unwrapped.getString("items[1].error.type")).as("relabelled").isIn(REFUSALS);
        assertThat(unwrapped.getString("items[2].error.type"))
                .as("own label")
                .isEqualTo(PROBLEM_BASE + "key-version-disabled");

        JsonPath rewrapped = rewrapResponse(workspace, List.of(forged.item()))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(rewrapped.getString("items[0].wrappedDek")).isNull();
        assertThat(rewrapped.getString("items[0].error.type")).isIn(REFUSALS);
    }
}
