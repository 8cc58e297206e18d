package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.testsupport.OidcTokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The whole rewrap path across the running services: an Owner's workspace holds personnel records (each with its
 * own DEK wrapped under v1), the Owner rotates the key, rewrap-worker moves every DEK to v2 through crypto-service
 * and evidence-service's rewrap support API — and is killed (SIGKILL) mid-job and restarted. Afterwards every record
 * is on v2 and still decrypts to what was written, v1 is retirable, and the audit log has the completion.
 */
class RewrapAfterRotationIT extends AgainstRunningSuite {

    private static final int RECORDS = 300;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void rotation_rewrapsEveryRecord_throughAWorkerCrash_andEveryRecordStillDecrypts() throws Exception {
        String owner = OidcTokens.user("owner-" + UUID.randomUUID());
        String api = workspaceWithLocalKey(owner, "Rewrap");
        String workspace = api.substring("/api/v1/workspaces/".length());
        String v1 = keyView(owner, api).getString("currentKmsKeyId");
        Map<String, String> emails = new HashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            String email = "person-" + i + "@example.com";
            String id = given().auth()
                    .oauth2(owner)
                    .contentType(ContentType.JSON)
                    .body(Map.of("fullName", "Person " + i, "email", email, "governmentId", "ID-" + i))
                    .when()
                    .post(gateway(api + "/personnel"))
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            emails.put(id, email);
        }
        assertThat(keyVersions(workspace)).containsExactly(Map.entry(v1, (long) RECORDS));

        String v2 = given().auth()
                .oauth2(owner)
                .when()
                .post(gateway(api + "/keys/rotations"))
                .then()
                .statusCode(200)
                .extract()
                .path("currentKmsKeyId");
        String job = await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> rewrapJobs(owner, api),
                        jobs -> !jobs.isEmpty() && ((Number) jobs.get(0).get("done")).longValue() > 0)
                .get(0)
                .get("id")
                .toString();
        suite.crashAndRestart("rewrap-worker");
        Map<String, Object> finished = await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> given().auth()
                                .oauth2(owner)
                                .when()
                                .get(gateway(api + "/rewrap-jobs/" + job))
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getMap(""),
                        view -> !"running".equals(view.get("state")));

        assertThat(finished.get("state")).as("job %s", finished).isEqualTo("completed");
        assertThat(((Number) finished.get("done")).longValue()).isEqualTo(RECORDS);
        assertThat(keyVersions(workspace)).containsExactly(Map.entry(v2, (long) RECORDS));
        assertThat(decryptedEmails(owner, api)).isEqualTo(emails);
        List<Map<String, Object>> versionStates = keyView(owner, api).getList("versions");
        assertThat(versionStates).anySatisfy(version -> {
            assertThat(version.get("kmsKeyId")).isEqualTo(v1);
            assertThat(version.get("state")).isEqualTo("retirable");
        });
        await().atMost(WAIT)
                .until(() -> given().auth()
                                .oauth2(owner)
                                .queryParam("action", "rewrap.completed")
                                .when()
                                .get(gateway(api + "/audit-events"))
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("items")
                                .size()
                        == 1);
    }

    private static List<Map<String, Object>> rewrapJobs(String owner, String api) {
        return given().auth()
                .oauth2(owner)
                .when()
                .get(gateway(api + "/rewrap-jobs"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    /** Every record, decrypted through the gateway: id to email. */
    private static Map<String, String> decryptedEmails(String owner, String api) {
        Map<String, String> emails = new HashMap<>();
        allPersonnel(owner, api).forEach(item -> emails.put((String) item.get("id"), (String) item.get("email")));
        return emails;
    }
}
