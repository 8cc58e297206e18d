package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.auditchain.ChainVerifier;
import dev.spalce.auditchain.VerificationReport;
import dev.spalce.contracts.datakey.DataKeyApi;
import dev.spalce.contracts.datakey.WrappedKeyItem;
import dev.spalce.decrypt.DecryptCli;
import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.OidcTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting a workspace end to end, against the running suite: an Owner asks for it (confirming the name), the
 * workspace refuses changes but stays readable during the grace period, and once it has passed the gateway purges it.
 * A {@code pg_dump} of evidence-service's tables taken before the deletion holds every wrapped data key; afterwards
 * crypto-service unwraps none of them for evidence-service (whose identity the unwrap API trusts), and with a
 * {@code local} key the keystore no longer holds the key at all, so not even the customer's own decrypt tool, given an
 * export archive and the keystore, decrypts anything. The rows and objects are gone and the audit log ends with
 * {@code workspace.deleted}, covered by a signed checkpoint. With a customer's key (AWS KMS) the key is detached and
 * the former Owner is told to disable it.
 */
class WorkspaceDeletionIT extends AgainstRunningSuite {

    /** The tables of evidence-service whose rows carry a wrapped data key, with their record types. */
    private static final Map<String, String> KEYED_TABLES =
            Map.of("personnel", "personnel", "evidence_file", "evidence");

    @TempDir
    Path dir;

    @Test
    void deletedWorkspaceWithLocalKey_nothingInADumpTakenBeforeDecryptsThroughSpalceOrAtAll() throws Exception {
        String ownerSubject = "owner-" + UUID.randomUUID();
        String owner = OidcTokens.user(ownerSubject);
        String name = "Doomed " + UUID.randomUUID();
        String api = workspaceWithLocalKey(owner, name);
        String workspace = api.substring(api.lastIndexOf('/') + 1);
        for (int i = 0; i < 3; i++) {
            given().auth()
                    .oauth2(owner)
                    .contentType(ContentType.JSON)
                    .body(Map.of("fullName", "Person " + i, "email", "p" + i + "@example.com"))
                    .when()
                    .post(gateway(api + "/personnel"))
                    .then()
                    .statusCode(201);
        }
        byte[] file = new byte[64 * 1024];
        new SecureRandom().nextBytes(file);
        uploadEvidence(owner, api, "scan.bin", file);
        String keyReference = keyView(owner, api).getString("keyReference");
        assertThat(aliasesOf(keyReference)).containsExactly(keyReference + "#v1");

        // The customer's own copy, exported while the workspace exists; it decrypts now (WorkspaceExportIT).
        Path archive = export(owner, api);
        String exportKey = exportSigningKey(owner, api);
        assertThat(decrypt(archive, exportKey, "before")).isEqualTo(DecryptCli.OK);

        // The dump, and proof that its wrapped keys unwrap through Spalce today: the same call must fail afterwards.
        Path dump = pgDump();
        List<WrappedKeyItem> dumped = wrappedKeysIn(dump, workspace);
        assertThat(dumped).hasSize(4);
        assertThat(unwrapAsEvidenceService(workspace, dumped).getList("items.plaintextDek"))
                .hasSize(4)
                .doesNotContainNull();

        // Only an Owner asks, and only by naming the workspace exactly.
        String contributorSubject = "contributor-" + UUID.randomUUID();
        addMember(owner, api, contributorSubject, "CONTRIBUTOR");
        requestDeletion(OidcTokens.user(contributorSubject), api, name)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        requestDeletion(owner, api, name + " ")
                .then()
                .statusCode(400)
                .body("type", org.hamcrest.Matchers.endsWith("/workspace-name-mismatch"));
        Response requested = requestDeletion(owner, api, name);
        assertThat(requested.statusCode()).as(requested.asString()).isEqualTo(202);
        assertThat(requested.jsonPath().getString("state")).isEqualTo("pending");
        assertThat(requested.jsonPath().getString("purgeAfter")).isNotNull();
        requestDeletion(owner, api, name).then().statusCode(409);

        // The grace period: no changes, but reads go on.
        given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("fullName", "Late", "email", "late@example.com"))
                .when()
                .post(gateway(api + "/personnel"))
                .then()
                .statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("/workspace-deletion-pending"));
        assertThat(allPersonnel(owner, api)).hasSize(3);

        JsonPath purged = awaitPurged(owner, api);
        assertThat(purged.getString("keys[0].keyReference")).isEqualTo(keyReference);
        assertThat(purged.getString("keys[0].disposition")).isEqualTo("destroyed");
        assertThat(purged.getString("keys[0].disableAdvice")).isNull();
        assertThat(purged.getLong("rowsDeleted.personnel")).isEqualTo(3);
        assertThat(purged.getLong("rowsDeleted.evidence_file")).isEqualTo(1);
        assertThat(purged.getLong("rowsDeleted.workspace_export")).isEqualTo(1);
        // The evidence file and the export archive.
        assertThat(purged.getLong("objectsDeleted")).isEqualTo(2);

        // The workspace is gone for everyone; the contributor (not an Owner) cannot read the deletion either.
        given().auth().oauth2(owner).when().get(gateway(api)).then().statusCode(404);
        given().auth()
                .oauth2(owner)
                .when()
                .get(gateway(api + "/personnel"))
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(OidcTokens.user(contributorSubject))
                .when()
                .get(gateway(api + "/deletion"))
                .then()
                .statusCode(404);
        assertThat(rowsOf(workspace)).isZero();

        // Nothing from the dump unwraps through Spalce, even for evidence-service.
        Response refused = unwrapResponse(workspace, dumped);
        assertThat(refused.statusCode()).as(refused.asString()).isBetween(400, 499);
        assertThat(refused.asString()).doesNotContain("plaintextDek\":\"");
        // And the key material is gone from the keystore: nothing decrypts at all.
        assertThat(aliasesOf(keyReference)).isEmpty();
        assertThat(decrypt(archive, exportKey, "after")).isNotEqualTo(DecryptCli.OK);

        // The audit log is kept, ends with workspace.deleted, and a signed checkpoint covers that entry.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    String log = auditExport(workspace);
                    VerificationReport report =
                            new ChainVerifier(List.of()).verify(new BufferedReader(new StringReader(log)));
                    assertThat(report.verified()).as(report.summary()).isTrue();
                    assertThat(report.sealedThroughSeq()).isEqualTo(report.lastSeq());
                    List<String> deleted = log.lines()
                            .filter(line -> line.contains("\"action\":\"workspace.deleted\""))
                            .toList();
                    assertThat(deleted).hasSize(1);
                    assertThat(deleted.get(0))
                            .contains("\"seq\":" + report.lastSeq())
                            .contains(keyReference)
                            .contains("\"rowsDeleted.personnel\":\"3\"");
                });
    }

    @Test
    void deletedWorkspaceWithCustomerKey_keyIsDetachedAndTheFormerOwnerIsToldToDisableIt() throws Exception {
        String owner = OidcTokens.user("owner-" + UUID.randomUUID());
        String name = "Customer key " + UUID.randomUUID();
        String api = "/api/v1/workspaces/" + createWorkspace(owner, name);
        String workspace = api.substring(api.lastIndexOf('/') + 1);
        String arn = KmsTestServers.aws().createKey();
        given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "aws-kms", "keyReference", arn))
                .when()
                .post(gateway(api + "/keys"))
                .then()
                .statusCode(201);
        given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("fullName", "Someone", "email", "someone@example.com"))
                .when()
                .post(gateway(api + "/personnel"))
                .then()
                .statusCode(201);
        List<WrappedKeyItem> dumped = wrappedKeysIn(pgDump(), workspace);
        assertThat(dumped).hasSize(1);

        requestDeletion(owner, api, name).then().statusCode(202);
        JsonPath purged = awaitPurged(owner, api);

        assertThat(purged.getString("keys[0].provider")).isEqualTo("aws-kms");
        assertThat(purged.getString("keys[0].disposition")).isEqualTo("detached");
        assertThat(purged.getString("keys[0].disableAdvice")).contains(arn).contains("disable");
        Response refused = unwrapResponse(workspace, dumped);
        assertThat(refused.statusCode()).as(refused.asString()).isBetween(400, 499);
        assertThat(refused.asString()).doesNotContain("plaintextDek\":\"");
    }

    private static Response requestDeletion(String token, String api, String confirmName) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("confirmName", confirmName))
                .when()
                .post(gateway(api + "/deletion"));
    }

    /** Waits out the grace period and the purge; the deletion as the former Owner reads it then. */
    private static JsonPath awaitPurged(String owner, String api) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat((String) given().auth()
                                .oauth2(owner)
                                .when()
                                .get(gateway(api + "/deletion"))
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("state"))
                        .isEqualTo("purged"));
        return given().auth()
                .oauth2(owner)
                .when()
                .get(gateway(api + "/deletion"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private Path export(String owner, String api) throws Exception {
        Response started = given().auth().oauth2(owner).when().post(gateway(api + "/exports"));
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        String exportId = started.jsonPath().getString("id");
        awaitExportCompleted(owner, api, exportId);
        String path = given().auth()
                .oauth2(owner)
                .when()
                .get(gateway(api + "/exports/" + exportId + "/download-url"))
                .then()
                .statusCode(200)
                .extract()
                .path("path");
        Path archive = dir.resolve("export.zip");
        Files.write(
                archive,
                given().auth()
                        .oauth2(owner)
                        .when()
                        .get(gateway(api + "/" + path))
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray());
        return archive;
    }

    /** Runs tools/decrypt on the archive with the customer's local keystore; its exit status. */
    private int decrypt(Path archive, String publicKey, String run) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        return DecryptCli.run(
                new String[] {
                    "--archive", archive.toString(),
                    "--public-key", publicKey,
                    "--out", dir.resolve("plaintext-" + run).toString(),
                    "--keystore", KEYSTORE.toString()
                },
                Map.of("SPALCE_DECRYPT_KEYSTORE_PASSPHRASE", KEYSTORE_PASSPHRASE),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));
    }

    /** The aliases of the local keystore file that belong to {@code keyReference}, read as any PKCS#12 tool would. */
    private static List<String> aliasesOf(String keyReference) throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(KEYSTORE)) {
            keystore.load(in, KEYSTORE_PASSPHRASE.toCharArray());
        }
        return Collections.list(keystore.aliases()).stream()
                .filter(alias -> alias.startsWith(keyReference + "#"))
                .toList();
    }

    /** {@code pg_dump} of evidence-service's keyed tables in the test database, as an operator would take it. */
    private Path pgDump() throws Exception {
        Path dump = dir.resolve("evidence-" + UUID.randomUUID() + ".sql");
        List<String> command = new ArrayList<>(List.of(
                "pg_dump",
                "--host=127.0.0.1",
                "--username=" + Infrastructure.DB_ADMIN_USER,
                "--data-only",
                "--file=" + dump));
        KEYED_TABLES.keySet().forEach(table -> command.add("--table=evidence." + table));
        command.add(Infrastructure.TEST_DATABASE);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return dump;
    }

    /** The wrapped data keys of {@code workspace} in a dump's COPY blocks, as evidence-service would send them. */
    private static List<WrappedKeyItem> wrappedKeysIn(Path dump, String workspace) throws Exception {
        List<WrappedKeyItem> items = new ArrayList<>();
        String recordType = null;
        List<String> columns = List.of();
        for (String line : Files.readAllLines(dump)) {
            if (line.startsWith("COPY evidence.")) {
                String table = line.substring("COPY evidence.".length(), line.indexOf(' ', "COPY evidence.".length()));
                recordType = KEYED_TABLES.get(table);
                columns = List.of(
                        line.substring(line.indexOf('(') + 1, line.indexOf(')')).split(", "));
            } else if (line.equals("\\.")) {
                recordType = null;
            } else if (recordType != null) {
                String[] values = line.split("\t", -1);
                if (!values[columns.indexOf("workspace_id")].equals(workspace)) {
                    continue;
                }
                // COPY's text format writes bytea as \\x<hex>.
                String wrapped = values[columns.indexOf("wrapped_dek")].replace("\\\\x", "");
                items.add(new WrappedKeyItem(
                        recordType,
                        values[columns.indexOf("id")],
                        values[columns.indexOf("kms_key_id")],
                        Base64.getEncoder().encodeToString(HexFormat.of().parseHex(wrapped))));
            }
        }
        return items;
    }

    private static Response unwrapResponse(String workspace, List<WrappedKeyItem> items) {
        return given().auth()
                .oauth2(OidcTokens.service("spalce-evidence-service", "spalce-crypto"))
                .contentType(ContentType.JSON)
                .body(new DataKeyApi.BatchRequest(items))
                .when()
                .post(suite.url("crypto-service")
                        .resolve(DataKeyApi.PATH.replace("{workspace}", workspace) + "/unwrap")
                        .toString());
    }

    private static JsonPath unwrapAsEvidenceService(String workspace, List<WrappedKeyItem> items) {
        Response response = unwrapResponse(workspace, items);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response.jsonPath();
    }

    /** The workspace's verifiable audit log, read from audit-log-service as the gateway's own identity may. */
    private static String auditExport(String workspace) {
        return given().auth()
                .oauth2(OidcTokens.service("spalce-auth-gateway", "spalce-audit"))
                .when()
                .get(suite.url("audit-log-service")
                        .resolve("/internal/v1/workspaces/" + workspace + "/audit-events/export.jsonl")
                        .toString())
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** Rows of the workspace left in any of evidence-service's tables (read as the admin role, past row security). */
    private static long rowsOf(String workspace) throws Exception {
        long rows = 0;
        try (Connection admin = Infrastructure.adminConnection()) {
            for (String table :
                    List.of("evidence_file", "personnel", "integration", "check_result", "workspace_export")) {
                try (PreparedStatement count =
                        admin.prepareStatement("SELECT count(*) FROM evidence." + table + " WHERE workspace_id = ?")) {
                    count.setString(1, workspace);
                    try (ResultSet result = count.executeQuery()) {
                        result.next();
                        rows += result.getLong(1);
                    }
                }
            }
        }
        return rows;
    }
}
