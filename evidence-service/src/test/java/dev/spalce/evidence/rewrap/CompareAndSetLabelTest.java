package dev.spalce.evidence.rewrap;

import static dev.spalce.evidence.support.TestApi.owner;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rewrap's compare-and-set checks the {@code kms_key_id} it writes: it never relabels a row. */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class CompareAndSetLabelTest {

    private static final String BASE = "/internal/v1/workspaces/{ws}/wrapped-keys/compare-and-set";

    private static RequestSpecification worker() {
        return given().auth().oauth2(OidcTokens.service("spalce-rewrap-worker"));
    }

    private record Stored(String id, String wrappedDek, String kmsKeyId) {}

    private static Stored person(String workspace) {
        String id = owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("fullName", "Person", "email", "p@example.com"))
                .when()
                .post("/internal/v1/workspaces/{ws}/personnel", workspace)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Map<String, Object> row = TestApi.rawRows(
                        "SELECT wrapped_dek, kms_key_id FROM {schema}.personnel WHERE id = ?::uuid", id)
                .get(0);
        return new Stored(id, Base64.getEncoder().encodeToString((byte[]) row.get("wrapped_dek")), (String)
                row.get("kms_key_id"));
    }

    private static io.restassured.response.Response change(
            String workspace, Stored stored, String wrappedDek, String kmsKeyId) {
        return worker().contentType(ContentType.JSON)
                .body(Map.of(
                        "items",
                        List.of(Map.of(
                                "recordType",
                                "personnel",
                                "recordId",
                                stored.id(),
                                "expectedWrappedDek",
                                stored.wrappedDek(),
                                "wrappedDek",
                                wrappedDek,
                                "kmsKeyId",
                                kmsKeyId))))
                .when()
                .post(BASE, workspace);
    }

    private static String storedLabel(Stored stored) {
        return (String) TestApi.rawRows("SELECT kms_key_id FROM {schema}.personnel WHERE id = ?::uuid", stored.id())
                .get(0)
                .get("kms_key_id");
    }

    @Test
    void compareAndSet_ofTheSameWrappedDekUnderAnotherLabel_isRefusedAsInvalid() {
        String workspace = TestApi.newWorkspace();
        Stored stored = person(workspace);

        change(workspace, stored, stored.wrappedDek(), stored.kmsKeyId().replace("#v1", "#v2"))
                .then()
                .statusCode(400)
                .body("type", equalTo("https://spalce.dev/problems/invalid-request"));

        assertThat(storedLabel(stored)).isEqualTo(stored.kmsKeyId());
    }

    @Test
    void compareAndSet_toAnOlderVersionOfTheSameKey_isNotApplied() {
        String workspace = TestApi.newWorkspace();
        Stored stored = person(workspace);
        String newer = Base64.getEncoder().encodeToString("rewrapped under version 3, for this test".getBytes());
        change(workspace, stored, newer, stored.kmsKeyId().replace("#v1", "#v3"))
                .then()
                .statusCode(200)
                .body("items[0].outcome", equalTo("applied"));
        Stored moved = new Stored(stored.id(), newer, stored.kmsKeyId().replace("#v1", "#v3"));
        String older = Base64.getEncoder().encodeToString("back under version 2, for this test".getBytes());

        change(workspace, moved, older, stored.kmsKeyId().replace("#v1", "#v2"))
                .then()
                .statusCode(200)
                .body("items[0].outcome", equalTo("conflict"));
        change(workspace, moved, older, moved.kmsKeyId())
                .then()
                .statusCode(200)
                .body("items[0].outcome", equalTo("conflict"));

        assertThat(storedLabel(stored)).isEqualTo(moved.kmsKeyId());
    }

    @Test
    void compareAndSet_toAnotherKey_isApplied_whateverItsVersionNumber() {
        String workspace = TestApi.newWorkspace();
        Stored stored = person(workspace);
        String onTheNewKey = Base64.getEncoder().encodeToString("wrapped under the new key, for this test".getBytes());
        // A change of master key: the new key's versions start again at 1, and the move is still forward.
        String newKey = "pkcs11:cmk-new-key-of-" + workspace + "#v1";

        change(workspace, stored, onTheNewKey, newKey)
                .then()
                .statusCode(200)
                .body("items[0].outcome", equalTo("applied"));

        assertThat(storedLabel(stored)).isEqualTo(newKey);
    }

    @Test
    void compareAndSet_withANonCanonicalLabel_isRefusedAsInvalid() {
        String workspace = TestApi.newWorkspace();
        Stored stored = person(workspace);
        String newer = Base64.getEncoder().encodeToString("rewrapped, for this test".getBytes());

        change(workspace, stored, newer, stored.kmsKeyId().replace("#v1", "#v02"))
                .then()
                .statusCode(400);
        assertThat(storedLabel(stored)).isEqualTo(stored.kmsKeyId());
    }
}
