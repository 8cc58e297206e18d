package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.decrypt.DecryptCli;
import dev.spalce.testsupport.OidcTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workspace export end to end: an Owner writes records of every type and an evidence file through the gateway,
 * exports the workspace, follows the export to completion, downloads the archive through its signed URL, and the
 * standalone decrypt tool (tools/decrypt) — given only the archive, the export signing key's public half and the
 * customer's own local keystore — writes back every plaintext byte for byte. Only the Owner may export.
 */
class WorkspaceExportIT extends AgainstRunningSuite {

    @TempDir
    Path dir;

    @Test
    void ownerExportsTheWorkspace_andTheDecryptToolWritesBackEveryPlaintextByteForByte() throws Exception {
        String ownerSubject = "owner-" + UUID.randomUUID();
        String owner = OidcTokens.user(ownerSubject);
        String api = workspaceWithLocalKey(owner, "Exported");
        Map<String, byte[]> written = new LinkedHashMap<>();

        for (int i = 0; i < 3; i++) {
            Map<String, String> person = Map.of(
                    "fullName", "Zoë Ångström " + i,
                    "email", "zoe" + i + "@example.com",
                    "phone", "+44 20 7946 000" + i,
                    "governmentId", "QQ12345" + i + "C");
            String id = created(
                    given().auth().oauth2(owner).contentType(ContentType.JSON).body(person), api + "/personnel");
            written.put("records/personnel/" + id + "/full_name", utf8(person.get("fullName")));
            written.put("records/personnel/" + id + "/email", utf8(person.get("email")));
            written.put("records/personnel/" + id + "/phone", utf8(person.get("phone")));
            written.put("records/personnel/" + id + "/government_id", utf8(person.get("governmentId")));
        }
        String details = "{\"bucket\":\"public-logs\",\"finding\":\"ACL grants AllUsers READ\"}";
        String checkResult = created(
                given().auth()
                        .oauth2(owner)
                        .contentType(ContentType.JSON)
                        .body(Map.of("controlId", "CC6.1", "status", "fail", "runId", "run-1", "details", details)),
                api + "/check-results");
        written.put("records/check-result/" + checkResult + "/details", utf8(details));
        String integration = created(
                given().auth()
                        .oauth2(owner)
                        .contentType(ContentType.JSON)
                        .body(Map.of(
                                "kind",
                                "api-token",
                                "name",
                                "Ticketing",
                                "credentials",
                                Map.of("token", "tok-" + UUID.randomUUID(), "account", "acme"))),
                api + "/integrations");
        byte[] file = new byte[2 * 1024 * 1024 + 123];
        new SecureRandom().nextBytes(file);
        Response upload = given().auth()
                .oauth2(owner)
                .contentType("application/octet-stream")
                .queryParam("name", "scan.bin")
                .body(file)
                .when()
                .post(gateway(api + "/evidence"));
        assertThat(upload.statusCode()).as(upload.asString()).isEqualTo(201);
        String evidenceId = upload.jsonPath().getString("id");
        written.put("objects/" + evidenceId, file);

        // Only the Owner exports: a Contributor of the same workspace is refused.
        String contributorSubject = "contributor-" + UUID.randomUUID();
        given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("role", "CONTRIBUTOR"))
                .when()
                .put(gateway(api + "/members/" + contributorSubject))
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(OidcTokens.user(contributorSubject))
                .when()
                .post(gateway(api + "/exports"))
                .then()
                .statusCode(403)
                .contentType("application/problem+json");

        // The archive carries the audit log as it stands: wait until the upload's event has reached it.
        auditActions(owner, api, "evidence.uploaded");
        Response started = given().auth().oauth2(owner).when().post(gateway(api + "/exports"));
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        String exportId = started.jsonPath().getString("id");
        assertThat(started.jsonPath().getLong("recordsTotal")).isEqualTo(3 + 1 + 1 + 1 + 1);
        awaitExportCompleted(owner, api, exportId);
        Response export = given().auth().oauth2(owner).when().get(gateway(api + "/exports/" + exportId));
        assertThat(export.jsonPath().getLong("recordsDone")).isEqualTo(7);
        assertThat(export.jsonPath().getDouble("percent")).isEqualTo(100.0);

        String path = given().auth()
                .oauth2(owner)
                .when()
                .get(gateway(api + "/exports/" + exportId + "/download-url"))
                .then()
                .statusCode(200)
                .extract()
                .path("path");
        given().auth()
                .oauth2(owner)
                .when()
                .get(gateway(api + "/" + path.replaceAll("signature=[^&]+", "signature=" + "A".repeat(43))))
                .then()
                .statusCode(403);
        Response download = given().auth().oauth2(owner).when().get(gateway(api + "/" + path));
        assertThat(download.statusCode()).isEqualTo(200);
        Path archive = dir.resolve("export.zip");
        Files.write(archive, download.asByteArray());
        assertThat(download.header("X-Content-SHA256"))
                .isEqualTo(export.jsonPath().getString("archiveSha256"));
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            assertThat(zip.stream().map(entry -> entry.getName()).toList())
                    .contains(
                            "records/personnel.jsonl",
                            "records/check-result.jsonl",
                            "records/integration.jsonl",
                            "records/evidence.jsonl",
                            "objects/" + evidenceId,
                            "audit/audit-log.jsonl",
                            "format.md",
                            "manifest.json",
                            "manifest.sig");
            String auditLog = new String(
                    zip.getInputStream(zip.getEntry("audit/audit-log.jsonl")).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(auditLog).contains("\"type\":\"header\"").contains("evidence.uploaded");
        }

        // An Auditor-or-Owner reads the public key; the tool checks the archive against it and decrypts.
        String publicKey = given().auth()
                .oauth2(owner)
                .when()
                .get(gateway(api + "/exports/signing-key"))
                .then()
                .statusCode(200)
                .extract()
                .path("publicKey");
        Path output = dir.resolve("plaintext");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DecryptCli.run(
                new String[] {
                    "--archive", archive.toString(),
                    "--public-key", publicKey,
                    "--out", output.toString(),
                    "--keystore", KEYSTORE.toString()
                },
                Map.of("SPALCE_DECRYPT_KEYSTORE_PASSPHRASE", KEYSTORE_PASSPHRASE),
                new PrintStream(out),
                new PrintStream(err));

        assertThat(status).as(err.toString()).isEqualTo(DecryptCli.OK);
        for (Map.Entry<String, byte[]> plaintext : written.entrySet()) {
            assertThat(output.resolve(plaintext.getKey()))
                    .as(plaintext.getKey())
                    .hasBinaryContent(plaintext.getValue());
        }
        // The credentials as integration-service serialised them: a JSON object with sorted keys.
        assertThat(new String(
                        Files.readAllBytes(output.resolve("records/integration/" + integration + "/credentials")),
                        StandardCharsets.UTF_8))
                .startsWith("{\"account\":\"acme\",\"token\":\"tok-");
        assertThat(out.toString()).contains("DECRYPTED 6 records (14 fields) and 1 evidence files");

        List<String> actions = auditActions(owner, api, "export.content-fetched");
        assertThat(actions)
                .contains(
                        "export.requested",
                        "export.completed",
                        "export.downloaded",
                        "export.content-fetched",
                        "export.signed-url-refused");
    }

    private static String created(io.restassured.specification.RequestSpecification request, String path) {
        Response response = request.when().post(gateway(path));
        assertThat(response.statusCode()).as(path + ": " + response.asString()).isEqualTo(201);
        return response.jsonPath().getString("id");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The workspace's audit actions, once {@code awaited} has crossed Kafka into the log. */
    private static List<String> auditActions(String owner, String api, String awaited) {
        List<String>[] actions = new List[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            actions[0] = given().auth()
                    .oauth2(owner)
                    .queryParam("limit", 200)
                    .when()
                    .get(gateway(api + "/audit-events"))
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("items.action");
            assertThat(actions[0]).contains(awaited);
        });
        return actions[0];
    }
}
