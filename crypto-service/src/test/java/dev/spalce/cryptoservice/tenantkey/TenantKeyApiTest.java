package dev.spalce.cryptoservice.tenantkey;

import static dev.spalce.cryptoservice.support.TestApi.EVIDENCE;
import static dev.spalce.cryptoservice.support.TestApi.GATEWAY;
import static dev.spalce.cryptoservice.support.TestApi.PROBLEM_BASE;
import static dev.spalce.cryptoservice.support.TestApi.REWRAP_WORKER;
import static dev.spalce.cryptoservice.support.TestApi.assertOldFreshAndMovedUnwrap;
import static dev.spalce.cryptoservice.support.TestApi.cmk;
import static dev.spalce.cryptoservice.support.TestApi.mint;
import static dev.spalce.cryptoservice.support.TestApi.moved;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.plaintexts;
import static dev.spalce.cryptoservice.support.TestApi.register;
import static dev.spalce.cryptoservice.support.TestApi.rewrapResponse;
import static dev.spalce.cryptoservice.support.TestApi.rotate;
import static dev.spalce.cryptoservice.support.TestApi.tampered;
import static dev.spalce.cryptoservice.support.TestApi.token;
import static dev.spalce.cryptoservice.support.TestApi.unwrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spalce.contracts.access.Service;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.keyproviders.local.LocalKeyProvider;
import dev.spalce.keyproviders.testing.SoftHsmToken;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class TenantKeyApiTest {

    @Test
    void register_localWithoutReference_createsAKeyAtVersion1WithTheDefaultPolicy() {
        String workspace = newWorkspace();

        Response response = given().auth()
                .oauth2(token(GATEWAY))
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "local"))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys", workspace);

        response.then().statusCode(201).header("Location", endsWith("/internal/v1/workspaces/" + workspace + "/keys"));
        JsonPath view = response.jsonPath();
        assertThat(view.getString("workspaceId")).isEqualTo(workspace);
        assertThat(view.getString("provider")).isEqualTo("local");
        assertThat(view.getBoolean("keyCreated")).isTrue();
        assertThat(view.getInt("currentVersion")).isEqualTo(1);
        assertThat(view.getString("currentKmsKeyId")).isEqualTo("local:" + view.getString("keyReference") + "#v1");
        assertThat(view.getInt("rotationPeriodDays")).isEqualTo(365);
        assertThat(Instant.parse(view.getString("nextRotationAt")))
                .isCloseTo(Instant.now().plus(Duration.ofDays(365)), within(1, ChronoUnit.MINUTES));
        assertThat(view.getList("versions.state")).containsExactly("enabled");
        assertThat(cmk(workspace).getString("currentKmsKeyId")).isEqualTo(view.getString("currentKmsKeyId"));
    }

    @Test
    void register_anExistingKeyOfTheProvider_importsItsVersions() {
        String workspace = newWorkspace();
        KmsKeyId existing;
        // Another instance (here: this test) created the key in the same keystore; the service finds it.
        try (LocalKeyProvider sameKeystore = LocalKeyProvider.open(
                Path.of("target", "crypto-local", "keystore.p12"),
                ConfigProvider.getConfig()
                        .getValue("spalce.crypto.local.passphrase", String.class)
                        .toCharArray())) {
            existing = sameKeystore.createKey();
            sameKeystore.createVersion(existing.reference());
        }

        JsonPath view = given().auth()
                .oauth2(token(GATEWAY))
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "local", "keyReference", existing.reference(), "rotationPeriodDays", 90))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys", workspace)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();

        assertThat(view.getBoolean("keyCreated")).isFalse();
        assertThat(view.getInt("currentVersion")).isEqualTo(2);
        assertThat(view.getList("versions.version", Integer.class)).containsExactly(1, 2);
        assertThat(view.getInt("rotationPeriodDays")).isEqualTo(90);
        assertThat(mint(workspace, "evidence", "ev-1").kmsKeyId())
                .isEqualTo(existing.withVersion(2).toString());
    }

    @Test
    void register_twice_orTheSameKeyForTwoWorkspaces_is409() {
        String workspace = newWorkspace();
        String reference = register(workspace, "local").getString("keyReference");

        registerResponse(workspace, Map.of("provider", "local"))
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_BASE + "workspace-key-already-registered"));
        registerResponse(newWorkspace(), Map.of("provider", "local", "keyReference", reference))
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM_BASE + "workspace-key-already-registered"));
    }

    @Test
    void register_withAProviderOrKeyThatCannotServe_isRefusedWithItsOwnType() {
        registerResponse(newWorkspace(), Map.of("provider", "no-such-kms", "keyReference", "some-key"))
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "unsupported-key-provider"));
        registerResponse(newWorkspace(), Map.of("provider", "local", "keyReference", "cmk-that-does-not-exist"))
                .then()
                .statusCode(422)
                .body("type", equalTo(PROBLEM_BASE + "unknown-key-reference"));
        registerResponse(newWorkspace(), Map.of("provider", "local", "keyReference", "Not A Local Reference"))
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"));
        registerResponse(newWorkspace(), Map.of("provider", "local", "rotationPeriodDays", 0))
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"));
        registerResponse(newWorkspace(), Map.of())
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"));
    }

    @Test
    void read_ofAWorkspaceWithoutCmk_is404() {
        given().auth()
                .oauth2(token(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/{ws}/keys", newWorkspace())
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_BASE + "workspace-key-not-registered"));
    }

    @Test
    void rotationPolicy_isSetAndValidated() {
        String workspace = newWorkspace();
        register(workspace, "local");

        JsonPath view = policy(workspace, Map.of("rotationPeriodDays", 30))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(view.getInt("rotationPeriodDays")).isEqualTo(30);
        assertThat(Instant.parse(view.getString("nextRotationAt")))
                .isEqualTo(Instant.parse(view.getString("lastRotatedAt")).plus(Duration.ofDays(30)));
        for (Map<String, Object> invalid : List.<Map<String, Object>>of(
                Map.of("rotationPeriodDays", 0), Map.of("rotationPeriodDays", 3651), Map.of())) {
            policy(workspace, invalid).then().statusCode(400).body("type", equalTo(PROBLEM_BASE + "invalid-request"));
        }
        assertThat(cmk(workspace).getInt("rotationPeriodDays")).isEqualTo(30);
    }

    @Test
    void rotation_newMintsUseTheNewVersion_oldDeksStillUnwrap_andRewrapMovesThemToCurrent() {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted old = mint(workspace, "evidence", "ev-1");

        JsonPath rotated = rotate(workspace);

        assertThat(rotated.getInt("currentVersion")).isEqualTo(2);
        assertThat(rotated.getList("versions.state")).containsExactly("enabled", "enabled");
        Minted fresh = mint(workspace, "evidence", "ev-2");
        assertThat(old.kmsKeyId()).endsWith("#v1");
        assertThat(fresh.kmsKeyId())
                .isEqualTo(rotated.getString("currentKmsKeyId"))
                .endsWith("#v2");
        JsonPath unwrapped = unwrap(workspace, List.of(old.item(), fresh.item()));
        assertThat(plaintexts(unwrapped)).containsExactly(old.plaintext(), fresh.plaintext());

        JsonPath rewrapped = rewrapResponse(workspace, List.of(old.item(), old.item(tampered(old.wrapped(), 50))))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(rewrapped.getInt("failed")).isEqualTo(1);
        assertThat(rewrapped.getString("items[0].kmsKeyId")).isEqualTo(fresh.kmsKeyId());
        assertThat(rewrapped.getString("items[0].wrappedDek")).isNotEqualTo(old.wrapped());
        assertThat(rewrapped.getString("items[1].error.type")).isEqualTo(PROBLEM_BASE + "bad-wrapped-key");
        Minted moved = new Minted(
                old.plaintext(),
                rewrapped.getString("items[0].wrappedDek"),
                rewrapped.getString("items[0].kmsKeyId"),
                old.recordType(),
                old.recordId());
        assertThat(plaintexts(unwrap(workspace, List.of(moved.item())))).containsExactly(old.plaintext());
    }

    @Test
    void retiringAVersion_keepsItUnwrappingWhileRetirable_andRefusesItOnceRetired() {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted old = mint(workspace, "evidence", "ev-1");
        rotate(workspace);

        versionState(workspace, 1, "retirable", GATEWAY)
                .then()
                .statusCode(200)
                .body("versions[0].state", equalTo("retirable"));
        assertThat(plaintexts(unwrap(workspace, List.of(old.item())))).containsExactly(old.plaintext());

        versionState(workspace, 1, "retired", REWRAP_WORKER)
                .then()
                .statusCode(200)
                .body("versions[0].state", equalTo("retired"));

        JsonPath refused = unwrap(workspace, List.of(old.item()));
        assertThat(refused.getString("items[0].error.type")).isEqualTo(PROBLEM_BASE + "key-version-disabled");
        assertThat(refused.getInt("items[0].error.status")).isEqualTo(409);
        assertThat(rewrapResponse(workspace, List.of(old.item()))
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getString("items[0].error.type"))
                .isEqualTo(PROBLEM_BASE + "key-version-disabled");
        versionState(workspace, 1, "enabled", GATEWAY)
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM_BASE + "invalid-version-state-change"));
        versionState(workspace, 2, "retired", GATEWAY)
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM_BASE + "invalid-version-state-change"));
        versionState(workspace, 9, "retired", GATEWAY)
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEM_BASE + "unknown-key-version"));
        versionState(workspace, 1, "bogus", GATEWAY).then().statusCode(400);
        versionState(workspace, 1, "retired", EVIDENCE).then().statusCode(403);
    }

    @Test
    void pkcs11_registerMintRotateRewrap_workInsideTheToken() {
        assumeTrue(SoftHsmToken.get().isPresent(), () -> "no SoftHSM2 token: " + SoftHsmToken.unavailableReason());
        String workspace = newWorkspace();
        JsonPath registered = register(workspace, "pkcs11");
        assertThat(registered.getString("currentKmsKeyId"))
                .startsWith("pkcs11:cmk-")
                .endsWith("#v1");
        Minted old = mint(workspace, "evidence", "ev-1");

        rotate(workspace);
        Minted fresh = mint(workspace, "evidence", "ev-2");
        JsonPath rewrapped = rewrapResponse(workspace, List.of(old.item()))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(fresh.kmsKeyId()).startsWith("pkcs11:").endsWith("#v2");
        assertOldFreshAndMovedUnwrap(workspace, old, fresh, moved(old, rewrapped, 0));
    }

    @Test
    void keyManagement_isForTheGateway_readingAlsoForRewrapWorker() {
        String workspace = newWorkspace();
        register(workspace, "local");

        given().auth()
                .oauth2(token(REWRAP_WORKER))
                .when()
                .get("/internal/v1/workspaces/{ws}/keys", workspace)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(token(EVIDENCE))
                .when()
                .get("/internal/v1/workspaces/{ws}/keys", workspace)
                .then()
                .statusCode(403)
                .body("type", equalTo(PROBLEM_BASE + "caller-not-allowed"));
        given().auth()
                .oauth2(token(REWRAP_WORKER))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys/rotations", workspace)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(token(EVIDENCE))
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "local"))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys", newWorkspace())
                .then()
                .statusCode(403);
        given().when()
                .get("/internal/v1/workspaces/{ws}/keys", workspace)
                .then()
                .statusCode(401);
    }

    @Test
    void gatewayUser_forAnotherWorkspace_getsNotFound_evenAsOwnerThere() {
        String mine = newWorkspace();
        String theirs = newWorkspace();
        register(mine, "local");
        register(theirs, "local");

        for (Response response : List.of(
                given().auth()
                        .oauth2(GatewayTokens.owner(mine))
                        .when()
                        .get("/internal/v1/workspaces/{ws}/keys", theirs),
                given().auth()
                        .oauth2(GatewayTokens.owner(mine))
                        .when()
                        .post("/internal/v1/workspaces/{ws}/keys/rotations", theirs))) {
            response.then().statusCode(404).contentType("application/problem+json");
        }
        assertThat(cmk(theirs).getInt("currentVersion")).isEqualTo(1);
    }

    @Test
    void gatewayUser_needsARoleThatGrantsTheOperation() {
        String workspace = newWorkspace();
        register(workspace, "local");

        given().auth()
                .oauth2(GatewayTokens.user("auditor-1", workspace, "AUDITOR"))
                .when()
                .get("/internal/v1/workspaces/{ws}/keys", workspace)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(GatewayTokens.user("auditor-1", workspace, "AUDITOR"))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys/rotations", workspace)
                .then()
                .statusCode(403)
                .body("type", equalTo(PROBLEM_BASE + "caller-not-allowed"));
        for (String role : List.of("CONTRIBUTOR", "VIEWER")) {
            given().auth()
                    .oauth2(GatewayTokens.user("member-1", workspace, role))
                    .when()
                    .get("/internal/v1/workspaces/{ws}/keys", workspace)
                    .then()
                    .statusCode(403);
        }
        assertThat(cmk(workspace).getInt("currentVersion")).isEqualTo(1);
    }

    @Test
    void gatewayUser_neverGetsDataKeys_evenAsOwner() {
        String workspace = newWorkspace();
        register(workspace, "local");

        given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .contentType(ContentType.JSON)
                .body(Map.of("recordType", "evidence", "recordId", "ev-1"))
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys", workspace)
                .then()
                .statusCode(403)
                .body("type", equalTo(PROBLEM_BASE + "caller-not-allowed"));
    }

    /**
     * An Owner's token minted by the gateway for audit-log-service (an audit-log read) is seen by that service; it
     * must buy nothing here: replayed at crypto-service to rotate or retire keys, it is refused for its audience.
     */
    @Test
    void ownersTokenForAuditLogService_replayedHere_isRefused401() {
        String workspace = newWorkspace();
        register(workspace, "local");
        String seenByAuditLog = GatewayTokens.owner(workspace, Service.AUDIT.audience());

        given().auth()
                .oauth2(seenByAuditLog)
                .when()
                .post("/internal/v1/workspaces/{ws}/keys/rotations", workspace)
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(seenByAuditLog)
                .when()
                .get("/internal/v1/workspaces/{ws}/keys", workspace)
                .then()
                .statusCode(401);
        assertThat(cmk(workspace).getInt("currentVersion")).isEqualTo(1);
        // The same Owner's token for crypto-service does rotate: the refusal was the audience.
        given().auth()
                .oauth2(GatewayTokens.owner(workspace, Service.CRYPTO.audience()))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys/rotations", workspace)
                .then()
                .statusCode(200);
    }

    @Test
    void gatewayToken_signedByAnotherKey_isRefused() throws Exception {
        String workspace = newWorkspace();
        register(workspace, "local");
        String forged = io.smallrye.jwt.build.Jwt.issuer(GatewayTokens.ISSUER)
                .audience("spalce-crypto")
                .subject(GatewayTokens.ownerOf(workspace))
                .claim("workspace", workspace)
                .claim("role", "OWNER")
                .expiresIn(Duration.ofSeconds(60))
                .jws()
                .algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign(GatewayTokens.newKeyPair().getPrivate());

        given().auth()
                .oauth2(forged)
                .when()
                .post("/internal/v1/workspaces/{ws}/keys/rotations", workspace)
                .then()
                .statusCode(401);
        assertThat(cmk(workspace).getInt("currentVersion")).isEqualTo(1);
    }

    private static Response registerResponse(String workspace, Map<String, Object> body) {
        return given().auth()
                .oauth2(token(GATEWAY))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/internal/v1/workspaces/{ws}/keys", workspace);
    }

    private static Response policy(String workspace, Map<String, Object> body) {
        return given().auth()
                .oauth2(token(GATEWAY))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .put("/internal/v1/workspaces/{ws}/keys/rotation-policy", workspace);
    }

    private static Response versionState(String workspace, int version, String state, String caller) {
        return given().auth()
                .oauth2(token(caller))
                .contentType(ContentType.JSON)
                .body(Map.of("state", state))
                .when()
                .put("/internal/v1/workspaces/{ws}/keys/versions/{v}/state", workspace, version);
    }
}
