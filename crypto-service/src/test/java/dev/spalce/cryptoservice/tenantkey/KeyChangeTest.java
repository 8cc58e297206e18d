package dev.spalce.cryptoservice.tenantkey;

import static dev.spalce.cryptoservice.support.TestApi.PROBLEM_BASE;
import static dev.spalce.cryptoservice.support.TestApi.REWRAP_WORKER;
import static dev.spalce.cryptoservice.support.TestApi.changeResponse;
import static dev.spalce.cryptoservice.support.TestApi.cmk;
import static dev.spalce.cryptoservice.support.TestApi.mint;
import static dev.spalce.cryptoservice.support.TestApi.moved;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.plaintexts;
import static dev.spalce.cryptoservice.support.TestApi.register;
import static dev.spalce.cryptoservice.support.TestApi.rewrapResponse;
import static dev.spalce.cryptoservice.support.TestApi.rotate;
import static dev.spalce.cryptoservice.support.TestApi.token;
import static dev.spalce.cryptoservice.support.TestApi.unwrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.contracts.keys.CmkChanged;
import dev.spalce.contracts.keys.KeyEventType;
import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.keyproviders.testing.AwsKmsTestServer;
import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.keyproviders.testing.SoftHsmToken;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.GoldenSamples;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A change of master key through crypto-service's API, with the real providers: the new key is current at once,
 * the old one still unwraps what was wrapped under it, a rewrap moves a DEK from one provider to the other by
 * unwrapping with the old and wrapping with the new (the DEK itself unchanged), and once everything is moved the
 * old key is detached: it unwraps nothing more, and the Owner is told they may disable it.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class KeyChangeTest {

    @Test
    void change_localToPkcs11_movesEveryDekAcrossProviders_andDetachesTheLocalKey() throws Exception {
        Assumptions.assumeTrue(SoftHsmToken.get().isPresent(), SoftHsmToken::unavailableReason);
        String workspace = newWorkspace();
        String local = register(workspace, "local").getString("currentKmsKeyId");
        List<Minted> old = mintSome(workspace, 3);

        JsonPath changed = change(workspace, "pkcs11", null)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        String pkcs11 = changed.getString("currentKmsKeyId");
        assertThat(pkcs11).startsWith("pkcs11:").endsWith("#v1");
        assertThat(changed.getString("previousKeys[0].state")).isEqualTo("previous");
        assertThat(changed.getString("previousKeys[0].lastKmsKeyId")).isEqualTo(local);
        assertThat(changed.getString("previousKeys[0].disableAdvice")).isNull();
        assertThat(mint(workspace, "evidence", "fresh").kmsKeyId()).isEqualTo(pkcs11);
        assertThat(plaintexts(unwrap(workspace, items(old))))
                .as("the previous key still unwraps what it wrapped")
                .containsExactlyElementsOf(old.stream().map(Minted::plaintext).toList());

        List<Minted> moved = rewrapAll(workspace, old, pkcs11);
        assertThat(plaintexts(unwrap(workspace, items(moved))))
                .containsExactlyElementsOf(old.stream().map(Minted::plaintext).toList());

        CmkChanged event = EventCodec.data(
                KeyEventsTest.awaitEvent(Topic.KEYS, workspace, KeyEventType.CMK_CHANGED), CmkChanged.class);
        assertThat(event.previousKmsKeyId()).isEqualTo(local);
        assertThat(event.kmsKeyId()).isEqualTo(pkcs11);
        assertThat(event.changedBy()).isEqualTo(AuditPayload.Actor.user("owner-of-" + workspace));
        assertThat(KeyEventsTest.fieldPaths(
                        EventCodec.encode(KeyEventsTest.awaitEvent(Topic.KEYS, workspace, KeyEventType.CMK_CHANGED))))
                .isEqualTo(KeyEventsTest.fieldPaths(GoldenSamples.load("keys/cmk.changed")));
        AuditPayload audit =
                EventCodec.data(KeyEventsTest.awaitEvent(Topic.AUDIT, workspace, "cmk.changed"), AuditPayload.class);
        assertThat(audit.details()).containsEntry("previousKmsKeyId", local).containsEntry("provider", "pkcs11");

        JsonPath detached = detach(workspace, pkcs11, token(REWRAP_WORKER))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(detached.getList("detached.keyReference")).hasSize(1);
        JsonPath view = cmk(workspace);
        assertThat(view.getString("previousKeys[0].state")).isEqualTo("detached");
        assertThat(view.getString("previousKeys[0].detachedAt")).isNotNull();
        assertThat(view.getString("previousKeys[0].disableAdvice")).contains("may disable it");
        assertThat(view.getList("previousKeys[0].versions.state")).containsOnly("retired");
        JsonPath refused = unwrap(workspace, items(old));
        assertThat(refused.getList("items.error.type")).containsOnly(PROBLEM_BASE + "key-version-disabled");
        AuditPayload detachedAudit =
                EventCodec.data(KeyEventsTest.awaitEvent(Topic.AUDIT, workspace, "cmk.detached"), AuditPayload.class);
        assertThat(detachedAudit.target()).isEqualTo(new AuditPayload.Target("cmk", local));
        assertThat(detachedAudit.details().get("disableAdvice")).contains("may disable it");
        // Detaching again finds nothing left to detach.
        assertThat(detach(workspace, pkcs11, token(REWRAP_WORKER))
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("detached"))
                .isEmpty();
    }

    @Test
    void change_localToAwsKms_wrapsWithEncryptAtAws_andTheDekStaysTheSame() {
        AwsKmsTestServer kms = KmsTestServers.aws();
        String workspace = newWorkspace();
        register(workspace, "local");
        rotate(workspace);
        List<Minted> old = mintSome(workspace, 2);
        String arn = kms.createKey();

        String aws = change(workspace, "aws-kms", arn)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("currentKmsKeyId");
        assertThat(aws).isEqualTo("aws-kms:" + arn + "#v1");
        kms.clearRequests();
        List<Minted> moved = rewrapAll(workspace, old, aws);

        // The local key unwrapped here; AWS only wrapped, each DEK with its record's encryption context.
        assertThat(kms.requests())
                .extracting(AwsKmsTestServer.Request::operation)
                .containsOnly("Encrypt");
        assertThat(kms.requests("Encrypt").stream()
                        .map(request -> request.body()
                                .get("EncryptionContext")
                                .get("spalce:record-id")
                                .asText()))
                .containsExactlyInAnyOrderElementsOf(
                        old.stream().map(Minted::recordId).toList());
        assertThat(plaintexts(unwrap(workspace, items(moved))))
                .containsExactlyElementsOf(old.stream().map(Minted::plaintext).toList());
        detach(workspace, aws, token(REWRAP_WORKER)).then().statusCode(200);
        assertThat(cmk(workspace).getString("previousKeys[0].state")).isEqualTo("detached");
    }

    @Test
    void change_refusals_areTypedProblems() {
        String workspace = newWorkspace();
        JsonPath registered = register(workspace, "local");
        String reference = registered.getString("keyReference");

        change(workspace, "local", reference)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_BASE + "workspace-key-already-registered"));
        change(workspace, "no-such-kms", null)
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "unsupported-key-provider"));
        given().auth()
                .oauth2(GatewayTokens.user("auditor-1", workspace, "AUDITOR"))
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "local"))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys/changes", workspace)
                .then()
                .statusCode(403);
        change(newWorkspace(), "local", null)
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEM_BASE + "workspace-key-not-registered"));

        String second = change(workspace, "local", null)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("currentKmsKeyId");
        change(workspace, "local", null)
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM_BASE + "key-change-in-progress"));
        // Only rewrap-worker detaches, and only once everything is on a version of the current key.
        detach(workspace, second, GatewayTokens.owner(workspace)).then().statusCode(403);
        detach(workspace, registered.getString("currentKmsKeyId"), token(REWRAP_WORKER))
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM_BASE + "not-the-current-key"));
        detach(workspace, second, token(REWRAP_WORKER)).then().statusCode(200);
        // The first key is detached, and a key serves one workspace ever: it cannot come back.
        change(workspace, "local", reference).then().statusCode(409);
        change(workspace, "local", null).then().statusCode(200);
    }

    private static Response change(String workspace, String provider, String keyReference) {
        return changeResponse(workspace, provider, keyReference);
    }

    private static Response detach(String workspace, String rewrappedTo, String token) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("rewrappedTo", rewrappedTo))
                .when()
                .post("/internal/v1/workspaces/{ws}/key-detachments", workspace);
    }

    private static List<Minted> mintSome(String workspace, int count) {
        List<Minted> minted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            minted.add(mint(workspace, "personnel", "p-" + i));
        }
        return minted;
    }

    /** Rewraps every DEK in one batch, as rewrap-worker does, and checks each landed on {@code target}. */
    private static List<Minted> rewrapAll(String workspace, List<Minted> old, String target) {
        JsonPath rewrapped = rewrapResponse(workspace, items(old))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Minted> moved = new ArrayList<>();
        for (int i = 0; i < old.size(); i++) {
            assertThat(rewrapped.getString("items[" + i + "].error")).isNull();
            Minted one = moved(old.get(i), rewrapped, i);
            assertThat(one.kmsKeyId()).isEqualTo(target);
            assertThat(one.wrapped()).isNotEqualTo(old.get(i).wrapped());
            moved.add(one);
        }
        return moved;
    }

    private static List<Map<String, Object>> items(List<Minted> keys) {
        return keys.stream().map(Minted::item).toList();
    }
}
