package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.decrypt.DecryptCli;
import dev.spalce.keyproviders.testing.KmsTestServers;
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
 * customer's own key (the local keystore, or the customer's AWS KMS) — writes back every plaintext byte for byte.
 * Only the Owner may export.
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
        String evidenceId = uploadEvidence(owner, api, "scan.bin", file);
        written.put("objects/" + evidenceId, file);

        // Only the Owner exports: a Contributor of the same workspace is refused.
        String contributorSubject = "contributor-" + UUID.randomUUID();
        addMember(owner, api, contributorSubject, "CONTRIBUTOR");
        given().auth()
                .oauth2(OidcTokens.user(contributorSubject))
                .when()
                .post(gateway(api + "/exports"))
                .then()
                .statusCode(403)
                .contentType("application/problem+json");

        // The archive carries the audit log as it stands: wait until the upload's event has reached it.
        auditActions(owner, api, "evidence.uploaded");
        Path archive = exportAndDownload(owner, api, 3 + 1 + 1 + 1 + 1, evidenceId);

        Path output = dir.resolve("plaintext");
        String report = decrypt(owner, api, archive, output, "--keystore", KEYSTORE.toString());
        assertEveryPlaintext(output, written);
        // The credentials as integration-service serialised them: a JSON object with sorted keys.
        assertThat(new String(
                        Files.readAllBytes(output.resolve("records/integration/" + integration + "/credentials")),
                        StandardCharsets.UTF_8))
                .startsWith("{\"account\":\"acme\",\"token\":\"tok-");
        assertThat(report).contains("DECRYPTED 6 records (14 fields) and 1 evidence files");

        List<String> actions = auditActions(owner, api, "export.content-fetched");
        assertThat(actions)
                .contains(
                        "export.requested",
                        "export.completed",
                        "export.downloaded",
                        "export.content-fetched",
                        "export.signed-url-refused");
    }

    /**
     * The same round trip for a workspace under a customer's AWS KMS key (the AWS KMS test server, through the real
     * AWS SDK): the archive names the key's ARN, and the tool decrypts with the customer's KMS, not Spalce's.
     */
    @Test
    void awsKmsWorkspace_exportedThroughTheSuite_decryptsWithTheCustomersKms() throws Exception {
        String owner = OidcTokens.user("owner-" + UUID.randomUUID());
        String arn = KmsTestServers.aws().createKey();
        String api = "/api/v1/workspaces/" + createWorkspace(owner, "Exported from AWS");
        given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "aws-kms", "keyReference", arn))
                .when()
                .post(gateway(api + "/keys"))
                .then()
                .statusCode(201);
        Map<String, byte[]> written = new LinkedHashMap<>();
        String person = created(
                given().auth()
                        .oauth2(owner)
                        .contentType(ContentType.JSON)
                        .body(Map.of("fullName", "Ada Lovelace", "email", "ada@example.com")),
                api + "/personnel");
        written.put("records/personnel/" + person + "/full_name", utf8("Ada Lovelace"));
        written.put("records/personnel/" + person + "/email", utf8("ada@example.com"));
        byte[] file = new byte[64 * 1024 + 7];
        new SecureRandom().nextBytes(file);
        String evidenceId = uploadEvidence(owner, api, "kms.bin", file);
        written.put("objects/" + evidenceId, file);
        auditActions(owner, api, "evidence.uploaded");

        // Two records (the person, the file's) and one object.
        Path archive = exportAndDownload(owner, api, 3, evidenceId);
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            assertThat(new String(
                            zip.getInputStream(zip.getEntry("records/personnel.jsonl"))
                                    .readAllBytes(),
                            StandardCharsets.UTF_8))
                    .contains("\"kmsKeyId\":\"aws-kms:" + arn + "#v1\"");
        }
        Path output = dir.resolve("plaintext-aws");
        // Credentials from the AWS SDK's default chain, as a customer's would be: this JVM's system properties.
        String report = decrypt(
                owner,
                api,
                archive,
                output,
                "--aws-endpoint",
                KmsTestServers.aws().endpoint().toString());

        assertEveryPlaintext(output, written);
        assertThat(report).contains("DECRYPTED 2 records (2 fields) and 1 evidence files");
    }

    /**
     * Exports the workspace at {@code api} as its Owner, follows the export to completion, checks an altered URL is
     * refused, and downloads the archive through its signed URL; the archive's path.
     */
    private Path exportAndDownload(String owner, String api, long records, String evidenceId) throws Exception {
        Response started = given().auth().oauth2(owner).when().post(gateway(api + "/exports"));
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        String exportId = started.jsonPath().getString("id");
        assertThat(started.jsonPath().getLong("recordsTotal")).isEqualTo(records);
        awaitExportCompleted(owner, api, exportId);
        Response export = given().auth().oauth2(owner).when().get(gateway(api + "/exports/" + exportId));
        assertThat(export.jsonPath().getLong("recordsDone")).isEqualTo(records);
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
        Path archive = dir.resolve("export-" + exportId + ".zip");
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
        return archive;
    }

    /**
     * Runs the decrypt tool on {@code archive} with the export signing key's public half, which an Auditor or Owner
     * reads, and the customer's key source ({@code keySource}); what it printed. It must succeed.
     */
    private static String decrypt(String owner, String api, Path archive, Path output, String... keySource) {
        String publicKey = exportSigningKey(owner, api);
        List<String> arguments = new java.util.ArrayList<>(
                List.of("--archive", archive.toString(), "--public-key", publicKey, "--out", output.toString()));
        arguments.addAll(List.of(keySource));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DecryptCli.run(
                arguments.toArray(String[]::new),
                Map.of("SPALCE_DECRYPT_KEYSTORE_PASSPHRASE", KEYSTORE_PASSPHRASE),
                new PrintStream(out),
                new PrintStream(err));
        assertThat(status).as(err.toString()).isEqualTo(DecryptCli.OK);
        return out.toString();
    }

    private static void assertEveryPlaintext(Path output, Map<String, byte[]> written) {
        for (Map.Entry<String, byte[]> plaintext : written.entrySet()) {
            assertThat(output.resolve(plaintext.getKey()))
                    .as(plaintext.getKey())
                    .hasBinaryContent(plaintext.getValue());
        }
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
