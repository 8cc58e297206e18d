package dev.spalce.audit;

import static dev.spalce.audit.AuditTestEvents.GATEWAY;
import static dev.spalce.audit.AuditTestEvents.chainOf;
import static dev.spalce.audit.AuditTestEvents.query;
import static dev.spalce.audit.AuditTestEvents.storedCount;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.spalce.auditchain.ChainVerifier;
import dev.spalce.auditchain.VerificationReport;
import dev.spalce.contracts.Topic;
import dev.spalce.testsupport.GoldenSamples;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class AuditIntegrityTest {

    private static String exportOf(String workspace, String format) {
        return given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events/export." + format)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private static io.restassured.response.ValidatableResponse verification(String workspace) {
        return given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events/verification")
                .then()
                .statusCode(200);
    }

    /** Changes rows the way an attacker with the owner role would: with the append-only triggers disabled. */
    private static void tamper(String sql) throws SQLException {
        try (Connection admin = Infrastructure.adminConnection();
                var statement = admin.createStatement()) {
            admin.setAutoCommit(false);
            statement.execute("ALTER TABLE audit.audit_entry DISABLE TRIGGER audit_entry_append_only");
            statement.execute(sql);
            statement.execute("ALTER TABLE audit.audit_entry ENABLE TRIGGER audit_entry_append_only");
            admin.commit();
        }
    }

    @Test
    void storedChain_whenUntouched_verifiesFromTheFirstEntry() {
        String workspace = chainOf(5);

        verification(workspace)
                .body("intact", equalTo(true))
                .body("firstSeq", equalTo(1))
                .body("lastSeq", equalTo(5))
                .body("anchoredAtGenesis", equalTo(true))
                .body("problem", nullValue());
    }

    @Test
    void tamperedRow_isDetectedAtThatEntry() throws SQLException {
        String workspace = chainOf(5);

        tamper("UPDATE audit.audit_entry SET outcome = 'denied' WHERE workspace_id = '" + workspace + "' AND seq = 3");

        verification(workspace)
                .body("intact", equalTo(false))
                .body("brokenAtSeq", equalTo(3))
                .body("problem", containsString("altered"));
    }

    @Test
    void deletedRow_isDetectedAsAGap() throws SQLException {
        String workspace = chainOf(5);

        tamper("DELETE FROM audit.audit_entry WHERE workspace_id = '" + workspace + "' AND seq = 2");

        verification(workspace)
                .body("intact", equalTo(false))
                .body("brokenAtSeq", equalTo(2))
                .body("problem", containsString("missing"));
    }

    @Test
    void reorderedRows_areDetected() throws SQLException {
        String workspace = chainOf(5);

        // Swap the places of entries 2 and 4 (seq is part of the primary key: move through a free number).
        tamper("UPDATE audit.audit_entry SET seq = 1000 WHERE workspace_id = '" + workspace + "' AND seq = 2; "
                + "UPDATE audit.audit_entry SET seq = 2 WHERE workspace_id = '" + workspace + "' AND seq = 4; "
                + "UPDATE audit.audit_entry SET seq = 4 WHERE workspace_id = '" + workspace + "' AND seq = 1000");

        verification(workspace).body("intact", equalTo(false)).body("brokenAtSeq", equalTo(2));
    }

    @Test
    void jsonLinesExport_verifiesOfflineAgainstThePublishedKey() {
        String workspace = chainOf(6);
        String publicKey = given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/audit-signing-keys")
                .then()
                .statusCode(200)
                .body("keys[0].algorithm", equalTo("Ed25519"))
                .body("keys[0].current", equalTo(true))
                .extract()
                .path("keys[0].publicKey");
        // The test profile signs every 2 seconds: wait until the head is covered.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> exportOf(workspace, "jsonl").contains("\"type\":\"checkpoint\""));

        String export = exportOf(workspace, "jsonl");
        VerificationReport report = new ChainVerifier(
                        List.of(Base64.getDecoder().decode(publicKey)))
                .verify(new BufferedReader(new StringReader(export)));

        assertThat(report.summary()).startsWith("VERIFIED");
        assertThat(report.entries()).isEqualTo(6);
        assertThat(report.checkpoints()).isPositive();
        assertThat(export.lines().findFirst().orElseThrow()).contains("\"format\":\"spalce-audit-export\"");
    }

    @Test
    void uploadedExport_isVerified_andATamperedOneIsNot() {
        String workspace = chainOf(4);
        String export = exportOf(workspace, "jsonl");

        given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .contentType("application/jsonl")
                .body(export.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/internal/v1/audit-exports/verification")
                .then()
                .statusCode(200)
                .body("intact", equalTo(true))
                .body("entries", equalTo(4));

        given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .contentType("application/jsonl")
                .body(export.replace("\"subject\":\"alice\"", "\"subject\":\"mallory\"")
                        .getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/internal/v1/audit-exports/verification")
                .then()
                .statusCode(200)
                .body("intact", equalTo(false))
                .body("brokenAtSeq", equalTo(1));
    }

    @Test
    void csvExport_hasOneRowPerEntryAndNeutralisesFormulas() {
        String workspace = UUID.randomUUID().toString();
        KafkaTestClient.sendCloudEvent(
                Topic.AUDIT.topicName(),
                workspace,
                GoldenSamples.withAttributes(
                        "audit/user.login",
                        Map.of("id", UUID.randomUUID().toString(), "workspaceid", workspace, "type", "=SUM(1,2)")));
        await().atMost(Duration.ofSeconds(20)).until(() -> storedCount(workspace) == 1);

        List<String> rows = exportOf(workspace, "csv").lines().toList();

        assertThat(rows.get(0)).startsWith("record_type,workspace_id,seq,event_id");
        assertThat(rows.get(1)).startsWith("entry," + workspace + ",1,").contains(",\"'=SUM(1,2)\",");
    }

    @Test
    void query_filtersAndPagesWithACursor() {
        String workspace = chainOf(7);

        var page1 = given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events?limit=3")
                .then()
                .statusCode(200)
                .body("items", hasSize(3))
                .body("items[0].seq", equalTo(7))
                .extract()
                .jsonPath();
        var page2 = given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .queryParam("limit", 3)
                .queryParam("cursor", page1.getString("nextCursor"))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events")
                .then()
                .statusCode(200)
                .body("items.seq", equalTo(List.of(4, 3, 2)))
                .extract()
                .jsonPath();
        given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .queryParam("limit", 3)
                .queryParam("cursor", page2.getString("nextCursor"))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events")
                .then()
                .statusCode(200)
                .body("items.seq", equalTo(List.of(1)))
                .body("nextCursor", nullValue());

        query(workspace, "&outcome=denied").body("items", hasSize(0));
        query(workspace, "&action=user.login&actor=alice").body("items", hasSize(7));
        query(workspace, "&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z").body("items", hasSize(0));
    }

    @Test
    void badQueryInput_isAProblemNotAFailure() {
        String workspace = java.util.UUID.randomUUID().toString();
        given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events?cursor=garbage!")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("the cursor is not one this API returned"));
        given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events?from=yesterday")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events?outcome=maybe")
                .then()
                .statusCode(400)
                .body("violations[0].field", containsString("outcome"));
    }
}
