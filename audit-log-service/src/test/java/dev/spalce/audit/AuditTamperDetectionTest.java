package dev.spalce.audit;

import static dev.spalce.audit.AuditTestEvents.GATEWAY;
import static dev.spalce.audit.AuditTestEvents.query;
import static dev.spalce.audit.AuditTestEvents.send;
import static dev.spalce.audit.AuditTestEvents.storedCount;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.spalce.auditchain.AuditExport;
import dev.spalce.auditchain.ChainHash;
import dev.spalce.auditchain.Checkpoint;
import dev.spalce.auditchain.CheckpointSigner;
import dev.spalce.auditchain.VerifierCli;
import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditCheckpointPublished;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tampering a hostile database administrator can do, as the PostgreSQL superuser with the append-only
 * triggers disabled, each detected and named twice: by {@code /verification} (pinned keys, the anchor bucket) and
 * by the offline verifier given the service's published key and the checkpoints a witness kept from the
 * checkpoints topic.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class AuditTamperDetectionTest {

    @Inject
    Scheduler scheduler;

    @TempDir
    Path dir;

    /** A chain of {@code entries} whose head is signed and anchored. */
    private static String sealedChainOf(int entries) {
        String workspace = UUID.randomUUID().toString();
        appendAndSeal(workspace, 0, entries);
        return workspace;
    }

    private static void appendAndSeal(String workspace, int existing, int more) {
        append(workspace, existing, more);
        int head = existing + more;
        await().atMost(Duration.ofSeconds(90))
                .until(() -> verification(workspace, 200).extract().jsonPath().getLong("sealedThroughSeq") == head);
    }

    private static void append(String workspace, int existing, int more) {
        for (int i = 0; i < more; i++) {
            send(workspace, UUID.randomUUID().toString());
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> storedCount(workspace) == existing + more);
    }

    private static ValidatableResponse verification(String workspace, int status) {
        return given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events/verification")
                .then()
                .statusCode(status);
    }

    /** Runs SQL as the superuser, the append-only triggers of both tables disabled for it. */
    private static void tamper(String... statements) throws SQLException {
        try (Connection admin = Infrastructure.adminConnection();
                var statement = admin.createStatement()) {
            admin.setAutoCommit(false);
            statement.execute("ALTER TABLE audit.audit_entry DISABLE TRIGGER USER");
            statement.execute("ALTER TABLE audit.audit_checkpoint DISABLE TRIGGER USER");
            for (String sql : statements) {
                statement.execute(sql);
            }
            statement.execute("ALTER TABLE audit.audit_entry ENABLE TRIGGER USER");
            statement.execute("ALTER TABLE audit.audit_checkpoint ENABLE TRIGGER USER");
            admin.commit();
        }
    }

    private static String where(String workspace) {
        return " WHERE workspace_id = '" + workspace + "'";
    }

    /** What the offline verifier prints for the current export, given the published key and a witness's anchors. */
    private String offline(String workspace) throws Exception {
        String export = given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events/export.jsonl")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String publicKey = given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events/signing-keys")
                .then()
                .statusCode(200)
                .extract()
                .path("keys[0].publicKey");
        // The witness: every audit.checkpoint event of this workspace on the checkpoints topic, one per line.
        List<String> witnessed =
                KafkaTestClient.records(Topic.AUDIT_CHECKPOINTS.topicName(), Duration.ofSeconds(20)).stream()
                        .filter(record -> workspace.equals(record.key()))
                        .map(record -> record.value())
                        .toList();
        assertThat(witnessed).as("checkpoints published for the witness").isNotEmpty();
        Path exportFile = Files.writeString(dir.resolve(workspace + ".jsonl"), export);
        Path anchors = Files.write(dir.resolve(workspace + "-witness.jsonl"), witnessed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status = VerifierCli.run(
                new String[] {exportFile.toString(), "--trusted-key", publicKey, "--anchors", anchors.toString()},
                print,
                print);
        return "exit " + status + ": " + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void alteredEntry_isNamedAtItsSeq() throws Exception {
        String workspace = sealedChainOf(5);

        tamper("UPDATE audit.audit_entry SET actor_subject = 'mallory'" + where(workspace) + " AND seq = 3");

        verification(workspace, 200)
                .body("intact", equalTo(false))
                .body("brokenAtSeq", equalTo(3))
                .body("problem", containsString("altered"));
        assertThat(offline(workspace))
                .startsWith("exit 1: BROKEN workspace " + workspace + " at seq 3")
                .contains("altered");
    }

    @Test
    void deletedMiddleEntry_isNamedAsMissing() throws Exception {
        String workspace = sealedChainOf(5);

        tamper("DELETE FROM audit.audit_entry" + where(workspace) + " AND seq = 2");

        verification(workspace, 200)
                .body("intact", equalTo(false))
                .body("brokenAtSeq", equalTo(2))
                .body("problem", containsString("entries 2..2 are missing"));
        assertThat(offline(workspace))
                .startsWith("exit 1: BROKEN workspace " + workspace + " at seq 2")
                .contains("entries 2..2 are missing");
    }

    @Test
    void reorderedEntries_areNamedAtTheFirstOutOfPlace() throws Exception {
        String workspace = sealedChainOf(5);

        tamper(
                "UPDATE audit.audit_entry SET seq = 1000" + where(workspace) + " AND seq = 2",
                "UPDATE audit.audit_entry SET seq = 2" + where(workspace) + " AND seq = 4",
                "UPDATE audit.audit_entry SET seq = 4" + where(workspace) + " AND seq = 1000");

        verification(workspace, 200).body("intact", equalTo(false)).body("brokenAtSeq", equalTo(2));
        assertThat(offline(workspace)).startsWith("exit 1: BROKEN workspace " + workspace + " at seq 2");
    }

    @Test
    void deletedTailAfterTheLastCheckpoint_isReportedUnsealedNeverVerified() throws Exception {
        String workspace = sealedChainOf(5);
        scheduler.pause("audit-checkpoints");
        try {
            append(workspace, 5, 3);
            tamper("DELETE FROM audit.audit_entry" + where(workspace) + " AND seq >= 7");

            verification(workspace, 200)
                    .body("intact", equalTo(true))
                    .body("sealedThroughSeq", equalTo(5))
                    .body("lastSeq", equalTo(6))
                    .body("unsealedEntries", equalTo(1))
                    .body("unsealedSince", notNullValue());
            assertThat(offline(workspace))
                    .startsWith("exit 0: VERIFIED workspace " + workspace + ": entries 1..5 ")
                    .contains("UNSEALED entries 6..6 (1 entries, the oldest from ")
                    .contains("NOT verified");
        } finally {
            scheduler.resume("audit-checkpoints");
        }
    }

    @Test
    void deletedTailACheckpointCovers_isNamedAgainstTheAnchor_andTheSignerRefusesTheShorterHead() throws Exception {
        String workspace = sealedChainOf(8);

        // The attacker removes entries 6..8 and every checkpoint of the table: what is left is self-consistent.
        tamper(
                "DELETE FROM audit.audit_entry" + where(workspace) + " AND seq >= 6",
                "DELETE FROM audit.audit_checkpoint" + where(workspace));

        verification(workspace, 200)
                .body("intact", equalTo(false))
                .body("brokenAtSeq", equalTo(6))
                .body("problem", containsString("covers seq 8 but the log ends at seq 5"))
                .body("problem", containsString("entries 6..8 are missing"));
        assertThat(offline(workspace))
                .startsWith("exit 1: BROKEN workspace " + workspace + " at seq 6")
                .contains("covers seq 8 but the log ends at seq 5");
        // The signer is not fooled into sealing the forged head: it refuses, and says so in the platform log.
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> query(
                                CloudEvent.PLATFORM_WORKSPACE, "&action=audit.checkpoint.refused&targetId=" + workspace)
                        .body("items", hasSize(1))
                        .body("items[0].details.reason", containsString("seq 8 was signed")));
        assertThat(checkpointRows(workspace))
                .as("checkpoints the signer stored after the truncation")
                .isZero();
    }

    private static int checkpointRows(String workspace) throws SQLException {
        try (Connection admin = Infrastructure.adminConnection();
                var select = admin.createStatement();
                var rows = select.executeQuery("SELECT count(*) FROM audit.audit_checkpoint" + where(workspace))) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void checkpointReplacedByOneSignedWithAnotherKey_isNamedAsUntrusted() throws Exception {
        String workspace = sealedChainOf(5);
        Checkpoint forged = CheckpointSigner.ephemeral().sign(workspace, 5, headHash(workspace, 5), Instant.now());

        tamper("DELETE FROM audit.audit_checkpoint" + where(workspace));
        try (Connection admin = Infrastructure.adminConnection();
                PreparedStatement insert =
                        admin.prepareStatement("INSERT INTO audit.audit_checkpoint VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, workspace);
            insert.setLong(2, 5);
            insert.setBytes(3, forged.entryHash().bytes());
            insert.setObject(4, forged.signedAt().atOffset(java.time.ZoneOffset.UTC));
            insert.setString(5, forged.keyId());
            insert.setBytes(6, forged.publicKey());
            insert.setBytes(7, forged.signature());
            insert.executeUpdate();
        }

        verification(workspace, 200)
                .body("intact", equalTo(false))
                .body("brokenAtSeq", equalTo(5))
                .body("problem", containsString("signed by key " + forged.keyId() + ", which is not a trusted key"));
        assertThat(offline(workspace))
                .startsWith("exit 1: BROKEN workspace " + workspace + " at seq 5")
                .contains("which is not a trusted key");
    }

    @Test
    void tableRolledBackToAnEarlierBackup_isNamedAgainstTheAnchor() throws Exception {
        String workspace = sealedChainOf(3);
        String backup = "backup_" + UUID.randomUUID().toString().replace("-", "");
        tamper(
                "CREATE TABLE audit." + backup + "_entry AS SELECT * FROM audit.audit_entry" + where(workspace),
                "CREATE TABLE audit." + backup + "_checkpoint AS SELECT * FROM audit.audit_checkpoint"
                        + where(workspace));
        appendAndSeal(workspace, 3, 3);

        tamper(
                "DELETE FROM audit.audit_entry" + where(workspace),
                "DELETE FROM audit.audit_checkpoint" + where(workspace),
                "INSERT INTO audit.audit_entry SELECT * FROM audit." + backup + "_entry",
                "INSERT INTO audit.audit_checkpoint SELECT * FROM audit." + backup + "_checkpoint",
                "DROP TABLE audit." + backup + "_entry",
                "DROP TABLE audit." + backup + "_checkpoint");

        verification(workspace, 200)
                .body("intact", equalTo(false))
                .body("brokenAtSeq", equalTo(4))
                .body("problem", containsString("covers seq 6 but the log ends at seq 3"))
                .body("problem", containsString("rolled back"));
        assertThat(offline(workspace))
                .startsWith("exit 1: BROKEN workspace " + workspace + " at seq 4")
                .contains("rolled back");
    }

    @Test
    void untouchedChain_verifiesAgainstPinnedKeyAndAnchor_andEveryCheckpointIsPublished() throws Exception {
        String workspace = sealedChainOf(4);

        verification(workspace, 200)
                .body("intact", equalTo(true))
                .body("sealedThroughSeq", equalTo(4))
                .body("unsealedEntries", equalTo(0))
                .body("anchoredCheckpoints", greaterThanOrEqualTo(1));
        assertThat(offline(workspace))
                .startsWith("exit 0: VERIFIED workspace " + workspace + ": entries 1..4 ")
                .contains("matched against the anchor");
        CloudEvent published = EventCodec.decode(KafkaTestClient.awaitRecord(
                        Topic.AUDIT_CHECKPOINTS.topicName(),
                        record ->
                                workspace.equals(record.key()) && record.value().contains("\"seq\":4,"),
                        Duration.ofSeconds(20))
                .value());
        assertThat(published.type()).isEqualTo(AuditCheckpointPublished.TYPE);
        assertThat(EventCodec.data(published, AuditCheckpointPublished.class).seq())
                .isEqualTo(4);
        assertThat(AuditExport.parseAnchor(EventCodec.encode(published)).signatureValid())
                .isTrue();
        given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events/verification?maxCheckpointAge=soon")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    private static ChainHash headHash(String workspace, long seq) throws SQLException {
        try (Connection admin = Infrastructure.adminConnection();
                PreparedStatement select = admin.prepareStatement(
                        "SELECT entry_hash FROM audit.audit_entry WHERE workspace_id = ? AND seq = ?")) {
            select.setString(1, workspace);
            select.setLong(2, seq);
            try (var rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return ChainHash.of(rows.getBytes(1));
            }
        }
    }
}
