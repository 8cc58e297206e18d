package dev.spalce.evidence.purge;

import static dev.spalce.evidence.support.TestApi.owner;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.contracts.deletion.WorkspaceShredding;
import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deleting a workspace's rows and objects ({@link WorkspaceShredding#DATA_PATH}), for the gateway's own identity
 * only: every row and object of that workspace goes, another workspace's stay, and a repeated call deletes nothing.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class DataPurgeTest {

    @Test
    void purge_byGateway_deletesEveryRowAndObjectOfTheWorkspace_andNothingElse() {
        String doomed = TestApi.newWorkspace();
        String kept = TestApi.newWorkspace();
        createPerson(doomed, 1);
        createPerson(doomed, 2);
        String evidence = TestApi.uploadText(doomed);
        String keptEvidence = TestApi.uploadText(kept);

        JsonPath purged = purge(doomed, "spalce-auth-gateway")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(purged.getLong("rowsDeleted.personnel")).isEqualTo(2);
        assertThat(purged.getLong("rowsDeleted.evidence_file")).isEqualTo(1);
        assertThat(purged.getLong("objectsDeleted")).isEqualTo(1);
        assertThat(TestApi.objectKeys(doomed)).isEmpty();
        assertThat(TestApi.objectKeys(kept)).hasSize(1);
        owner(doomed)
                .when()
                .get("/internal/v1/workspaces/{ws}/personnel", doomed)
                .then()
                .statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
        owner(doomed)
                .when()
                .get("/internal/v1/workspaces/{ws}/evidence/{id}", doomed, evidence)
                .then()
                .statusCode(404);
        owner(kept)
                .when()
                .get("/internal/v1/workspaces/{ws}/evidence/{id}", kept, keptEvidence)
                .then()
                .statusCode(200);
    }

    @Test
    void purge_repeated_deletesNothingMore() {
        String workspace = TestApi.newWorkspace();
        createPerson(workspace, 1);
        TestApi.uploadText(workspace);
        purge(workspace, "spalce-auth-gateway").then().statusCode(200);

        JsonPath again = purge(workspace, "spalce-auth-gateway")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(again.getLong("rowsDeleted.personnel")).isZero();
        assertThat(again.getLong("objectsDeleted")).isZero();
    }

    @Test
    void purge_byRewrapWorker_isForbidden_andTheRowsStay() {
        String workspace = TestApi.newWorkspace();
        createPerson(workspace, 1);

        purge(workspace, "spalce-rewrap-worker").then().statusCode(403).contentType("application/problem+json");

        owner(workspace)
                .when()
                .get("/internal/v1/workspaces/{ws}/personnel", workspace)
                .then()
                .statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void purge_byOwnerThroughGateway_isForbidden() {
        String workspace = TestApi.newWorkspace();

        owner(workspace)
                .when()
                .post(WorkspaceShredding.DATA_PATH, workspace)
                .then()
                .statusCode(403);
    }

    private static Response purge(String workspace, String clientId) {
        return given().auth().oauth2(OidcTokens.service(clientId)).when().post(WorkspaceShredding.DATA_PATH, workspace);
    }

    private static void createPerson(String workspace, int n) {
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("fullName", "Person " + n, "email", "p" + n + "@example.com"))
                .when()
                .post("/internal/v1/workspaces/{ws}/personnel", workspace)
                .then()
                .statusCode(201);
    }
}
