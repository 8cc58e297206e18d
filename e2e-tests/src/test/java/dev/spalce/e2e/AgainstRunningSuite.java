package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.contracts.rewrap.WrappedKeys;
import dev.spalce.testsupport.InternalTls;
import dev.spalce.testsupport.OidcTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** A test class of the running suite ({@link RunningSuite#shared}), which every class of the run shares. */
abstract class AgainstRunningSuite {

    static RunningSuite suite;

    /** crypto-service's local keystore in the test profile, relative to the suite's working directory. */
    static final Path KEYSTORE = Path.of("target", "crypto-local", "keystore.p12");

    /** Its passphrase in the test profile (protects nothing: a well-known test value). */
    static final String KEYSTORE_PASSPHRASE = "spalce-local-development-only-passphrase";

    @BeforeAll
    static void startSuite() throws Exception {
        suite = RunningSuite.shared();
        // Calls straight to an internal service speak mutual TLS, as the caller whose token they carry.
        InternalTls.installForRestAssured();
    }

    /** A URL of the gateway's (plain HTTP, loopback) API. */
    static String gateway(String path) {
        return suite.url("auth-gateway").resolve(path).toString();
    }

    /** A new workspace of the user whose token this is (they are its Owner); its id. */
    static String createWorkspace(String token, String name) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("name", name))
                .when()
                .post(gateway("/api/v1/workspaces"))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A new workspace of {@code owner}'s (their token), with a {@code local} key registered: its API path. */
    /** The key view of the workspace at {@code api}, as {@code token} reads it (200 required). */
    static JsonPath keyView(String token, String api) {
        return given().auth()
                .oauth2(token)
                .when()
                .get(gateway(api + "/keys"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The public half of the export signing key, base64, as an Owner or Auditor {@code token} reads it. */
    static String exportSigningKey(String token, String api) {
        return given().auth()
                .oauth2(token)
                .when()
                .get(gateway(api + "/exports/signing-key"))
                .then()
                .statusCode(200)
                .extract()
                .path("publicKey");
    }

    /** Gives {@code subject} {@code role} in the workspace at {@code api}, as its Owner {@code owner}. */
    static void addMember(String owner, String api, String subject, String role) {
        given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("role", role))
                .when()
                .put(gateway(api + "/members/" + subject))
                .then()
                .statusCode(200);
    }

    /** Uploads {@code content} as the evidence file {@code name} to the workspace at {@code api}; its id. */
    static String uploadEvidence(String token, String api, String name, byte[] content) {
        var uploaded = given().auth()
                .oauth2(token)
                .contentType("application/octet-stream")
                .queryParam("name", name)
                .body(content)
                .when()
                .post(gateway(api + "/evidence"));
        assertThat(uploaded.statusCode()).as(uploaded.asString()).isEqualTo(201);
        return uploaded.jsonPath().getString("id");
    }

    static String workspaceWithLocalKey(String owner, String name) {
        String api = "/api/v1/workspaces/" + createWorkspace(owner, name);
        given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "local"))
                .when()
                .post(gateway(api + "/keys"))
                .then()
                .statusCode(201);
        return api;
    }

    /** Every personnel record of the workspace at {@code api}, decrypted through the gateway, 100 a page. */
    static List<Map<String, Object>> allPersonnel(String owner, String api) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().auth().oauth2(owner).queryParam("limit", 100);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.when()
                    .get(gateway(api + "/personnel"))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            all.addAll(page.getList("items"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return all;
    }

    /** Waits until the workspace's export has completed. */
    static void awaitExportCompleted(String owner, String api, String exportId) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat((String) given().auth()
                                .oauth2(owner)
                                .when()
                                .get(gateway(api + "/exports/" + exportId))
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("state"))
                        .isEqualTo("completed"));
    }

    /** How many records each key version wraps in {@code workspace}, as evidence-service counts them for rewrap-worker. */
    static Map<String, Long> keyVersions(String workspace) {
        List<Map<String, Object>> rows = given().auth()
                .oauth2(OidcTokens.service("spalce-rewrap-worker", "spalce-evidence"))
                .when()
                .get(suite.url("evidence-service")
                        .resolve(WrappedKeys.PATH.replace("{workspace}", workspace) + "/versions")
                        .toString())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("versions");
        Map<String, Long> counts = new HashMap<>();
        rows.forEach(row ->
                counts.merge((String) row.get("kmsKeyId"), ((Number) row.get("records")).longValue(), Long::sum));
        return counts;
    }
}
