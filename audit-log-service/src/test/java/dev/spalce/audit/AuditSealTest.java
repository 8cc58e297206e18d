package dev.spalce.audit;

import static dev.spalce.audit.AuditTestEvents.GATEWAY;
import static dev.spalce.audit.AuditTestEvents.chainOf;
import static dev.spalce.audit.AuditTestEvents.query;
import static dev.spalce.audit.AuditTestEvents.send;
import static dev.spalce.audit.AuditTestEvents.storedCount;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.contracts.deletion.WorkspaceShredding;
import dev.spalce.testsupport.OidcTokens;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sealing a deleted workspace's chain ({@link WorkspaceShredding#SEAL_PATH}), for the gateway's own identity only:
 * the final {@code workspace.deleted} entry is appended once and signed by the next checkpoint, and an event that
 * arrives for the workspace afterwards goes to the platform log instead of following it.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class AuditSealTest {

    private static Response seal(String workspace, String clientId) {
        return given().auth()
                .oauth2(OidcTokens.service(clientId))
                .contentType(ContentType.JSON)
                .body(Map.of("actor", "user:owner-1", "details", Map.of("keysDestroyed", "local:cmk-1 (1 versions)")))
                .when()
                .post(WorkspaceShredding.SEAL_PATH, workspace);
    }

    @Test
    void seal_byGateway_appendsWorkspaceDeletedLast_andACheckpointSignsIt() {
        String workspace = chainOf(2);

        JsonPath sealed =
                seal(workspace, GATEWAY).then().statusCode(200).extract().jsonPath();

        assertThat(sealed.getLong("seq")).isEqualTo(3);
        JsonPath entry = query(workspace, "&action=workspace.deleted").extract().jsonPath();
        assertThat(entry.getList("items")).hasSize(1);
        assertThat(entry.getString("items[0].actor.subject")).isEqualTo("owner-1");
        assertThat(entry.getString("items[0].details.keysDestroyed")).isEqualTo("local:cmk-1 (1 versions)");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(given().auth()
                                .oauth2(OidcTokens.service(GATEWAY))
                                .when()
                                .get("/internal/v1/workspaces/" + workspace + "/audit-events/verification")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getLong("sealedThroughSeq"))
                        .isEqualTo(3));
    }

    @Test
    void seal_repeated_answersTheSameEntry_andAppendsNoOther() {
        String workspace = chainOf(1);
        String first = seal(workspace, GATEWAY).then().statusCode(200).extract().asString();

        String second =
                seal(workspace, GATEWAY).then().statusCode(200).extract().asString();

        assertThat(second).isEqualTo(first);
        assertThat(storedCount(workspace)).isEqualTo(2);
    }

    @Test
    void eventAfterSeal_goesToThePlatformLog_notAfterTheFinalEntry() {
        String workspace = chainOf(1);
        seal(workspace, GATEWAY).then().statusCode(200);

        String late = send(workspace, UUID.randomUUID().toString());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Map<String, Object>> refused = query("platform", "&action=audit.event-after-seal")
                    .extract()
                    .jsonPath()
                    .getList("items");
            assertThat(refused)
                    .anySatisfy(item ->
                            assertThat(item.toString()).contains(workspace).contains(late));
        });
        assertThat(storedCount(workspace)).isEqualTo(2);
    }

    @Test
    void seal_byEvidenceService_isForbidden_andAppendsNothing() {
        String workspace = chainOf(1);

        seal(workspace, "spalce-evidence-service").then().statusCode(403).contentType("application/problem+json");

        assertThat(storedCount(workspace)).isEqualTo(1);
    }

    @Test
    void seal_withAMalformedActor_isTheTyped400() {
        String workspace = chainOf(1);

        given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .contentType(ContentType.JSON)
                .body(Map.of("actor", "nobody", "details", Map.of()))
                .when()
                .post(WorkspaceShredding.SEAL_PATH, workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
