package dev.spalce.keyproviders.vault;

import static dev.spalce.cryptoservice.support.TestApi.PROBLEM_BASE;
import static dev.spalce.cryptoservice.support.TestApi.assertOldFreshAndMovedUnwrap;
import static dev.spalce.cryptoservice.support.TestApi.mint;
import static dev.spalce.cryptoservice.support.TestApi.moved;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.rewrapResponse;
import static dev.spalce.cryptoservice.support.TestApi.rotate;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.keyproviders.testing.VaultTransitTestServer;
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
import org.junit.jupiter.api.Test;

/**
 * A workspace whose CMK is a Vault transit key, through crypto-service's API: registered by name, rotated in
 * Vault, rewrapped server side. The JDK HTTP client talks to {@link VaultTransitTestServer}.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class VaultTransitDataKeyApiTest {

    private final VaultTransitTestServer vault = KmsTestServers.vault();

    @Test
    void registeredVaultKey_mintsRotatesAndRewrapsInVault() {
        String workspace = newWorkspace();
        String name = vault.createKey(true);

        JsonPath registered =
                register(workspace, name).then().statusCode(201).extract().jsonPath();
        assertThat(registered.getString("currentKmsKeyId")).isEqualTo("vault-transit:" + name + "#v1");
        Minted old = mint(workspace, "evidence", "ev-1");
        rotate(workspace);
        Minted fresh = mint(workspace, "evidence", "ev-2");
        vault.clearRequests();
        JsonPath rewrapped = rewrapResponse(workspace, List.of(old.item()))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(fresh.kmsKeyId()).isEqualTo("vault-transit:" + name + "#v2");
        assertThat(vault.requests())
                .extracting(VaultTransitTestServer.Request::path)
                .containsExactly("/v1/transit/rewrap/" + name);
        assertOldFreshAndMovedUnwrap(workspace, old, fresh, moved(old, rewrapped, 0));
    }

    @Test
    void register_anUnknownOrUnderivedKey_isRefused() {
        register(newWorkspace(), "no-such-key")
                .then()
                .statusCode(422)
                .body("type", equalTo(PROBLEM_BASE + "unknown-key-reference"));
        register(newWorkspace(), vault.createKey(false))
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"));
    }

    private static Response register(String workspace, String name) {
        return given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "vault-transit", "keyReference", name))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys", workspace);
    }
}
