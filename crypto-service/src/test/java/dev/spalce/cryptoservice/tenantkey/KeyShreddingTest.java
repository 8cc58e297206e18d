package dev.spalce.cryptoservice.tenantkey;

import static dev.spalce.cryptoservice.support.TestApi.GATEWAY;
import static dev.spalce.cryptoservice.support.TestApi.PROBLEM_BASE;
import static dev.spalce.cryptoservice.support.TestApi.REWRAP_WORKER;
import static dev.spalce.cryptoservice.support.TestApi.mint;
import static dev.spalce.cryptoservice.support.TestApi.mintResponse;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.register;
import static dev.spalce.cryptoservice.support.TestApi.registerResponse;
import static dev.spalce.cryptoservice.support.TestApi.rotate;
import static dev.spalce.cryptoservice.support.TestApi.token;
import static dev.spalce.cryptoservice.support.TestApi.unwrapResponse;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.contracts.deletion.WorkspaceShredding;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.cryptoservice.provider.service.KeyProviders;
import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.keyproviders.testing.SoftHsmToken;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Shredding a deleted workspace's keys ({@link WorkspaceShredding#KEYS_PATH}), for the gateway's own identity only:
 * a key crypto-service created loses every version's material from its provider, a customer's key is detached with
 * the advice to disable it, and either way nothing of the workspace is unwrapped or minted again. Repeating it changes
 * nothing.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class KeyShreddingTest {

    @Inject
    KeyProviders providers;

    /** The local keystore of the test profile. */
    private static final Path KEYSTORE = Path.of("target", "crypto-local", "keystore.p12");

    @Test
    void shred_byGateway_destroysEveryVersionOfALocalKey_andNothingUnwrapsOrMintsAgain() throws Exception {
        String workspace = newWorkspace();
        String reference = register(workspace, "local").getString("keyReference");
        Minted before = mint(workspace, "personnel", "p-1");
        rotate(workspace);
        assertThat(aliasesOf(reference)).containsExactlyInAnyOrder(reference + "#v1", reference + "#v2");

        JsonPath shredded =
                shred(workspace, GATEWAY).then().statusCode(200).extract().jsonPath();

        assertThat(shredded.getString("keys[0].keyReference")).isEqualTo(reference);
        assertThat(shredded.getString("keys[0].disposition")).isEqualTo(WorkspaceShredding.DESTROYED);
        assertThat(shredded.getInt("keys[0].versions")).isEqualTo(2);
        assertThat(shredded.getString("keys[0].disableAdvice")).isNull();
        assertThat(aliasesOf(reference))
                .as("the keystore file holds no version of the key")
                .isEmpty();
        Response unwrap = unwrapResponse(workspace, List.of(before.item()));
        assertThat(unwrap.statusCode()).as(unwrap.asString()).isBetween(400, 499);
        assertThat(unwrap.asString()).doesNotContain("plaintextDek\":\"");
        assertThat(mintResponse(workspace, "personnel", "p-2").statusCode()).isBetween(400, 499);
        // The registry keeps which key it was, destroyed, and refuses a new one: the workspace is gone.
        assertThat(registerResponse(workspace, "local", null).statusCode()).isBetween(400, 499);
    }

    @Test
    void shred_byGateway_destroysThePkcs11TokenObjects() {
        Assumptions.assumeTrue(SoftHsmToken.get().isPresent(), SoftHsmToken::unavailableReason);
        String workspace = newWorkspace();
        String reference = register(workspace, "pkcs11").getString("keyReference");
        KeyProvider token = providers.find("pkcs11").orElseThrow();
        assertThat(token.describe(reference).currentVersion()).isEqualTo(1);

        shred(workspace, GATEWAY)
                .then()
                .statusCode(200)
                .body("keys[0].disposition", equalTo(WorkspaceShredding.DESTROYED));

        assertThatThrownBy(() -> token.describe(reference))
                .as("the token holds no object of the key")
                .isInstanceOf(KeyUnavailableException.class)
                .extracting(e -> ((KeyUnavailableException) e).reason())
                .isEqualTo(KeyUnavailableException.Reason.UNKNOWN_KEY);
    }

    @Test
    void shred_repeated_answersTheSameKeysAndDestroysNothingMore() {
        String workspace = newWorkspace();
        register(workspace, "local");
        String first =
                shred(workspace, GATEWAY).then().statusCode(200).extract().asString();

        String second =
                shred(workspace, GATEWAY).then().statusCode(200).extract().asString();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void shred_customerKey_isDetachedWithAdviceToDisableIt_andUnwrapsNothingMore() {
        String arn = KmsTestServers.aws().createKey();
        String workspace = newWorkspace();
        registerResponse(workspace, "aws-kms", arn).then().statusCode(201);
        Minted before = mint(workspace, "personnel", "p-1");

        JsonPath shredded =
                shred(workspace, GATEWAY).then().statusCode(200).extract().jsonPath();

        assertThat(shredded.getString("keys[0].provider")).isEqualTo("aws-kms");
        assertThat(shredded.getString("keys[0].disposition")).isEqualTo(WorkspaceShredding.DETACHED);
        assertThat(shredded.getString("keys[0].disableAdvice")).contains(arn).contains("disable it");
        Response unwrap = unwrapResponse(workspace, List.of(before.item()));
        assertThat(unwrap.statusCode()).as(unwrap.asString()).isBetween(400, 499);
        assertThat(unwrap.asString()).doesNotContain("plaintextDek\":\"");
    }

    @Test
    void shred_workspaceWithoutKey_answersNoKeys() {
        shred(newWorkspace(), GATEWAY).then().statusCode(200).body("keys.size()", equalTo(0));
    }

    @Test
    void shred_byRewrapWorker_isForbidden_andTheKeyStays() {
        String workspace = newWorkspace();
        String reference = register(workspace, "local").getString("keyReference");

        shred(workspace, REWRAP_WORKER)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_BASE + "caller-not-allowed"));

        assertThat(mint(workspace, "personnel", "p-1").kmsKeyId()).contains(reference);
    }

    @Test
    void shred_byOwnerThroughGateway_isForbidden() {
        String workspace = newWorkspace();
        register(workspace, "local");

        given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .when()
                .post(WorkspaceShredding.KEYS_PATH, workspace)
                .then()
                .statusCode(403);
    }

    private static Response shred(String workspace, String clientId) {
        return given().auth().oauth2(token(clientId)).when().post(WorkspaceShredding.KEYS_PATH, workspace);
    }

    private static List<String> aliasesOf(String reference) throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(KEYSTORE)) {
            keystore.load(in, "spalce-local-development-only-passphrase".toCharArray());
        }
        return Collections.list(keystore.aliases()).stream()
                .filter(alias -> alias.startsWith(reference + "#"))
                .toList();
    }
}
