package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.spalce.testsupport.OidcTokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A workspace's master key through the gateway: the Owner registers it in crypto-service, rotates it, and the
 * rotation crosses Kafka twice — into rewrap-worker, which starts a rewrap job the Owner sees, and into the
 * workspace's audit log. Members without the key permissions are refused.
 */
class WorkspaceKeysIT extends AgainstRunningSuite {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void ownerRegistersAndRotatesTheKey_rewrapWorkerStartsAJob_andTheLogHasItAll() {
        String owner = OidcTokens.user("owner-" + UUID.randomUUID());
        String viewerSubject = "viewer-" + UUID.randomUUID();
        String viewer = OidcTokens.user(viewerSubject);
        String workspace = createWorkspace(owner, "Keys");
        given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("role", "VIEWER"))
                .when()
                .put(gateway("/api/v1/workspaces/" + workspace + "/members/" + viewerSubject))
                .then()
                .statusCode(200);
        String keys = "/api/v1/workspaces/" + workspace + "/keys";

        String first = given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "local"))
                .when()
                .post(gateway(keys))
                .then()
                .statusCode(201)
                .extract()
                .path("currentKmsKeyId");
        String second = given().auth()
                .oauth2(owner)
                .when()
                .post(gateway(keys + "/rotations"))
                .then()
                .statusCode(200)
                .extract()
                .path("currentKmsKeyId");

        assertThat(first).startsWith("local:").endsWith("#v1");
        assertThat(second).isEqualTo(first.replace("#v1", "#v2"));
        given().auth()
                .oauth2(owner)
                .when()
                .get(gateway(keys))
                .then()
                .statusCode(200)
                .body("versions", hasSize(2));
        given().auth()
                .oauth2(viewer)
                .when()
                .get(gateway(keys))
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(viewer)
                .when()
                .post(gateway(keys + "/rotations"))
                .then()
                .statusCode(403);

        List<Map<String, Object>> jobs = await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> given().auth()
                                .oauth2(owner)
                                .when()
                                .get(gateway("/api/v1/workspaces/" + workspace + "/rewrap-jobs"))
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("items"),
                        found -> !found.isEmpty());
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0)).containsEntry("targetKmsKeyId", second);
        String job = "/api/v1/workspaces/" + workspace + "/rewrap-jobs/"
                + jobs.get(0).get("id");
        given().auth().oauth2(viewer).when().get(gateway(job)).then().statusCode(403);
        given().auth()
                .oauth2(viewer)
                .when()
                .post(gateway(job + "/cancel"))
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(owner)
                .when()
                .get(gateway(job))
                .then()
                .statusCode(200)
                .body("id", equalTo(jobs.get(0).get("id")));

        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().auth()
                        .oauth2(owner)
                        .when()
                        .get(gateway("/api/v1/workspaces/" + workspace + "/audit-events"))
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .<String>getList("items.action")
                        .containsAll(List.of("cmk.registered", "cmk.rotated", "rewrap.started", "access.denied")));
        given().auth()
                .oauth2(owner)
                .when()
                .get(gateway("/api/v1/workspaces/" + workspace + "/audit-events/verification"))
                .then()
                .statusCode(200)
                .body("intact", equalTo(true));
    }
}
