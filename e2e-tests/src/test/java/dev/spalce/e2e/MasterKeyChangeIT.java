package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.keyproviders.testing.SoftHsmToken;
import dev.spalce.testsupport.OidcTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A change of master key across the running services: an Owner's workspace holds personnel records and an
 * evidence file under a `local` key, the Owner changes the key to another provider through the gateway,
 * rewrap-worker (on {@code cmk.changed}) moves every data key to the new key through crypto-service (unwrap at the
 * old provider, wrap at the new) and evidence-service's compare-and-set, and then the old key is detached. Every
 * record and the file read back exactly as written, and the key view tells the Owner which key they may disable.
 * Once to pkcs11 (SoftHSM2), once to aws-kms (the AWS KMS test server, through the real AWS SDK).
 */
class MasterKeyChangeIT extends AgainstRunningSuite {

    private static final int RECORDS = 60;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void change_fromLocalToPkcs11_movesEveryDataKey_andDetachesTheLocalKey() throws Exception {
        Assumptions.assumeTrue(SoftHsmToken.get().isPresent(), SoftHsmToken::unavailableReason);

        changeAndVerify(Map.of("provider", "pkcs11"), "pkcs11:");
    }

    @Test
    void change_fromLocalToAwsKms_movesEveryDataKey_andDetachesTheLocalKey() throws Exception {
        String arn = KmsTestServers.aws().createKey();

        changeAndVerify(Map.of("provider", "aws-kms", "keyReference", arn), "aws-kms:" + arn + "#v1");
    }

    private static void changeAndVerify(Map<String, String> newKey, String expectedTarget) throws Exception {
        String owner = OidcTokens.user("owner-" + UUID.randomUUID());
        String api = workspaceWithLocalKey(owner, "Key change");
        String workspace = api.substring("/api/v1/workspaces/".length());
        JsonPath local = keyView(owner, api);
        Map<String, Map<String, Object>> written = writePersonnel(owner, api);
        byte[] file = new byte[100_000];
        new SecureRandom().nextBytes(file);
        String evidence = uploadEvidence(owner, api, "before-the-change.bin", file);
        assertThat(keyVersions(workspace)).containsOnlyKeys(local.getString("currentKmsKeyId"));

        JsonPath changed = given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(newKey)
                .when()
                .post(gateway(api + "/keys/changes"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String target = changed.getString("currentKmsKeyId");
        assertThat(target).startsWith(expectedTarget);
        assertThat(changed.getString("previousKeys[0].keyReference")).isEqualTo(local.getString("keyReference"));
        assertThat(changed.getString("previousKeys[0].state")).isEqualTo("previous");

        Map<String, Object> job = await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> jobFor(owner, api, target),
                        found -> found != null && !"running".equals(found.get("state")));
        assertThat(job.get("state")).as("job %s", job).isEqualTo("completed");
        assertThat(((Number) job.get("done")).longValue()).isEqualTo(RECORDS + 1);

        assertThat(keyVersions(workspace)).containsExactly(Map.entry(target, (long) RECORDS + 1));
        assertThat(readPersonnel(owner, api)).isEqualTo(written);
        String path = given().auth()
                .oauth2(owner)
                .when()
                .get(gateway(api + "/evidence/" + evidence + "/download-url"))
                .then()
                .statusCode(200)
                .extract()
                .path("path");
        assertThat(given().auth()
                        .oauth2(owner)
                        .when()
                        .get(gateway(api + "/" + path))
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray())
                .isEqualTo(file);

        JsonPath view = keyView(owner, api);
        assertThat(view.getString("currentKmsKeyId")).isEqualTo(target);
        assertThat(view.getString("previousKeys[0].state")).isEqualTo("detached");
        assertThat(view.getString("previousKeys[0].disableAdvice"))
                .contains(local.getString("keyReference"))
                .contains("may disable it");
        await().atMost(WAIT)
                .until(() -> audited(owner, api, "cmk.changed") == 1 && audited(owner, api, "cmk.detached") == 1);
    }

    private static Map<String, Map<String, Object>> writePersonnel(String owner, String api) {
        Map<String, Map<String, Object>> written = new HashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            Map<String, Object> person = new LinkedHashMap<>();
            person.put("fullName", "Person " + i + " Ünïcödé");
            person.put("email", "person-" + i + "@example.com");
            person.put("governmentId", "ID-" + i);
            String id = given().auth()
                    .oauth2(owner)
                    .contentType(ContentType.JSON)
                    .body(person)
                    .when()
                    .post(gateway(api + "/personnel"))
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            written.put(id, person);
        }
        return written;
    }

    /** Every record, decrypted through the gateway: id to the fields written. */
    private static Map<String, Map<String, Object>> readPersonnel(String owner, String api) {
        Map<String, Map<String, Object>> read = new HashMap<>();
        for (Map<String, Object> item : allPersonnel(owner, api)) {
            Map<String, Object> person = new LinkedHashMap<>();
            for (String field : List.of("fullName", "email", "governmentId")) {
                person.put(field, item.get(field));
            }
            read.put((String) item.get("id"), person);
        }
        return read;
    }

    private static Map<String, Object> jobFor(String owner, String api, String target) {
        List<Map<String, Object>> jobs = given().auth()
                .oauth2(owner)
                .when()
                .get(gateway(api + "/rewrap-jobs"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
        return jobs.stream()
                .filter(job -> target.equals(job.get("targetKmsKeyId")))
                .findFirst()
                .orElse(null);
    }

    /** How many audit entries of {@code action} the workspace's log holds. */
    private static int audited(String owner, String api, String action) {
        return given().auth()
                .oauth2(owner)
                .queryParam("action", action)
                .when()
                .get(gateway(api + "/audit-events"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items")
                .size();
    }
}
