package dev.spalce.evidence.rewrap;

import static dev.spalce.evidence.support.TestApi.owner;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class RewrapSupportApiTest {

    private static final String BASE = "/internal/v1/workspaces/{ws}/wrapped-keys";

    private static RequestSpecification worker() {
        return given().auth().oauth2(OidcTokens.service("spalce-rewrap-worker"));
    }

    private static String createPerson(String workspace, int n) {
        return owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("fullName", "Person " + n, "email", "p" + n + "@example.com"))
                .when()
                .post("/internal/v1/workspaces/{ws}/personnel", workspace)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void versions_countRecordsPerKeyVersionAndType() {
        String workspace = TestApi.newWorkspace();
        createPerson(workspace, 1);
        createPerson(workspace, 2);
        TestApi.uploadText(workspace);

        JsonPath counts = worker().when()
                .get(BASE + "/versions", workspace)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(counts.getList("versions")).hasSize(1);
        assertThat(counts.getString("versions[0].kmsKeyId")).endsWith("#v1");
        assertThat(counts.getLong("versions[0].records")).isEqualTo(3);
        assertThat(counts.getLong("versions[0].byRecordType.personnel")).isEqualTo(2);
        assertThat(counts.getLong("versions[0].byRecordType.evidence")).isEqualTo(1);
    }

    @Test
    void countNotOn_countsRecordsOnOtherVersions() {
        String workspace = TestApi.newWorkspace();
        createPerson(workspace, 1);
        TestApi.uploadText(workspace);
        String kmsKeyId = worker().when()
                .get(BASE + "/versions", workspace)
                .then()
                .extract()
                .path("versions[0].kmsKeyId");

        worker().queryParam("notOn", kmsKeyId)
                .when()
                .get(BASE + "/count", workspace)
                .then()
                .statusCode(200)
                .body("count", equalTo(0));
        worker().queryParam("notOn", kmsKeyId.replace("#v1", "#v2"))
                .when()
                .get(BASE + "/count", workspace)
                .then()
                .statusCode(200)
                .body("count", equalTo(2));
    }

    @Test
    void pages_walkEveryRecordOnceWithAStableCursor() {
        String workspace = TestApi.newWorkspace();
        for (int i = 0; i < 7; i++) {
            createPerson(workspace, i);
        }
        TestApi.uploadText(workspace);
        String kmsKeyId = worker().when()
                .get(BASE + "/versions", workspace)
                .then()
                .extract()
                .path("versions[0].kmsKeyId");

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            // What rewrap-worker asks after a rotation to v2: every record not yet on v2.
            var request =
                    worker().queryParam("notOn", kmsKeyId.replace("#v1", "#v2")).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("after", cursor);
            }
            JsonPath page = request.when()
                    .get(BASE, workspace)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            seen.addAll(page.getList("items.recordId"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);

        assertThat(seen).hasSize(8).doesNotHaveDuplicates();
        worker().queryParam("kmsKeyId", "local:other#v9")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
        worker().queryParam("notOn", kmsKeyId)
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
    }

    @Test
    void compareAndSet_appliesOnlyWhereTheReadWrappedDekIsStillStored() {
        String workspace = TestApi.newWorkspace();
        String first = createPerson(workspace, 1);
        String second = createPerson(workspace, 2);
        String kmsKeyId = worker().when()
                .get(BASE + "/versions", workspace)
                .then()
                .extract()
                .path("versions[0].kmsKeyId");
        JsonPath page = worker().queryParam("kmsKeyId", kmsKeyId)
                .when()
                .get(BASE, workspace)
                .then()
                .extract()
                .jsonPath();
        Map<String, String> wrapped = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) {
            wrapped.put(page.getString("items[" + i + "].recordId"), page.getString("items[" + i + "].wrappedDek"));
        }
        String newVersion = kmsKeyId.replace("#v1", "#v2");
        String replacement = Base64.getEncoder().encodeToString("a rewrapped DEK, for this test".getBytes());
        String stale = Base64.getEncoder().encodeToString("not what is stored".getBytes());

        JsonPath result = worker().contentType(ContentType.JSON)
                .body(Map.of(
                        "items",
                        List.of(
                                Map.of(
                                        "recordType",
                                        "personnel",
                                        "recordId",
                                        first,
                                        "expectedWrappedDek",
                                        wrapped.get(first),
                                        "wrappedDek",
                                        replacement,
                                        "kmsKeyId",
                                        newVersion),
                                Map.of(
                                        "recordType",
                                        "personnel",
                                        "recordId",
                                        second,
                                        "expectedWrappedDek",
                                        stale,
                                        "wrappedDek",
                                        replacement,
                                        "kmsKeyId",
                                        newVersion),
                                Map.of(
                                        "recordType",
                                        "evidence",
                                        "recordId",
                                        java.util.UUID.randomUUID().toString(),
                                        "expectedWrappedDek",
                                        stale,
                                        "wrappedDek",
                                        replacement,
                                        "kmsKeyId",
                                        newVersion))))
                .when()
                .post(BASE + "/compare-and-set", workspace)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(result.getList("items.outcome")).containsExactly("applied", "conflict", "not-found");
        assertThat(result.getInt("applied")).isEqualTo(1);
        Map<String, Object> row = TestApi.rawRows(
                        "SELECT wrapped_dek, kms_key_id FROM {schema}.personnel WHERE id = ?::uuid", first)
                .get(0);
        assertThat(row.get("kms_key_id")).isEqualTo(newVersion);
        assertThat((byte[]) row.get("wrapped_dek"))
                .isEqualTo(Base64.getDecoder().decode(replacement));
        Map<String, Object> untouched = TestApi.rawRows(
                        "SELECT wrapped_dek, kms_key_id FROM {schema}.personnel WHERE id = ?::uuid", second)
                .get(0);
        assertThat(untouched.get("kms_key_id")).isEqualTo(kmsKeyId);
        assertThat((byte[]) untouched.get("wrapped_dek"))
                .isEqualTo(Base64.getDecoder().decode(wrapped.get(second)));
    }

    @Test
    void otherCallers_areRefused() {
        String workspace = TestApi.newWorkspace();

        owner(workspace)
                .when()
                .get(BASE + "/versions", workspace)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(OidcTokens.service("spalce-auth-gateway"))
                .when()
                .get(BASE + "/versions", workspace)
                .then()
                .statusCode(403);
        given().when().get(BASE + "/versions", workspace).then().statusCode(401);
    }

    @Test
    void malformedRequests_areTypedBadRequests() {
        String workspace = TestApi.newWorkspace();

        worker().when().get(BASE, workspace).then().statusCode(400).contentType("application/problem+json");
        worker().queryParam("kmsKeyId", "not a key id")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(400);
        worker().queryParam("notOn", "local:k#v1")
                .queryParam("after", "garbage")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(400);
        worker().contentType(ContentType.JSON)
                .body(Map.of(
                        "items",
                        List.of(Map.of(
                                "recordType",
                                "secrets",
                                "recordId",
                                java.util.UUID.randomUUID().toString(),
                                "expectedWrappedDek",
                                "AA==",
                                "wrappedDek",
                                "AA==",
                                "kmsKeyId",
                                "local:k#v2"))))
                .when()
                .post(BASE + "/compare-and-set", workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        Map<String, String> sameRecord = Map.of(
                "recordType",
                "personnel",
                "recordId",
                java.util.UUID.randomUUID().toString(),
                "expectedWrappedDek",
                "AA==",
                "wrappedDek",
                "AQ==",
                "kmsKeyId",
                "local:k#v2");
        worker().contentType(ContentType.JSON)
                .body(Map.of("items", List.of(sameRecord, sameRecord)))
                .when()
                .post(BASE + "/compare-and-set", workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("at most once"));
    }
}
