package dev.spalce.evidence.unreadable;

import static dev.spalce.evidence.support.TestApi.owner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.spalce.contracts.Topic;
import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A record whose stored wrapped DEK does not authenticate (swapped with another row's, one byte flipped) is that
 * record's own problem: 422 bad-wrapped-key when read alone (a personnel record, an evidence file's download), an
 * item marked unreadable in a page whose other records are served, and each time an audit event and a count.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class UnreadableRecordTest {

    private static final String PERSONNEL = "/internal/v1/workspaces/{ws}/personnel";
    private static final String CHECK_RESULTS = "/internal/v1/workspaces/{ws}/check-results";
    private static final String EVIDENCE = "/internal/v1/workspaces/{ws}/evidence";

    @Inject
    MeterRegistry metrics;

    private static String person(String workspace, String email) {
        return owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("fullName", "Grace Hopper", "email", email, "department", "Navy"))
                .when()
                .post(PERSONNEL, workspace)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static void update(String sql, Object... parameters) {
        try (Connection admin = Infrastructure.adminConnection();
                PreparedStatement statement =
                        admin.prepareStatement(sql.replace("{schema}", EvidenceTestResource.SCHEMA))) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            assertThat(statement.executeUpdate()).as("rows changed").isPositive();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Swaps the wrapped DEKs of two rows of a table, as someone with write access to the database could. */
    private static void swapWrappedDeks(String table, String first, String second) {
        update(
                "UPDATE {schema}." + table + " a SET wrapped_dek = b.wrapped_dek FROM {schema}." + table + " b "
                        + "WHERE (a.id, b.id) IN ((?::uuid, ?::uuid), (?::uuid, ?::uuid))",
                first,
                second,
                second,
                first);
    }

    private static void flipAByteOfWrappedDek(String table, String id) {
        update(
                "UPDATE {schema}." + table + " SET wrapped_dek = set_byte(wrapped_dek, length(wrapped_dek) / 2, "
                        + "get_byte(wrapped_dek, length(wrapped_dek) / 2) # 1) WHERE id = ?::uuid",
                id);
    }

    private double unreadable(String recordType) {
        Counter counter = metrics.find("spalce.records.unreadable")
                .tag("record-type", recordType)
                .tag("problem", "bad-wrapped-key")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void get_withFlippedByteInWrappedDek_is422BadWrappedKeyAuditedAndCounted() {
        String workspace = TestApi.newWorkspace();
        String id = person(workspace, "grace@example.com");
        flipAByteOfWrappedDek("personnel", id);
        double before = unreadable("personnel");

        owner(workspace)
                .when()
                .get(PERSONNEL + "/{id}", workspace, id)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/bad-wrapped-key"));

        assertThat(unreadable("personnel") - before).isEqualTo(1.0);
        var event = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace)
                        && r.value().contains("record.unreadable")
                        && r.value().contains(id),
                Duration.ofSeconds(30));
        assertThat(event.value())
                .contains("\"outcome\":\"error\"")
                .contains("bad-wrapped-key")
                .doesNotContain("grace@example.com");
    }

    @Test
    void evidenceDownload_withFlippedByteInWrappedDek_is422BadWrappedKeyAuditedAndCounted() {
        String workspace = TestApi.newWorkspace();
        String id = owner(workspace)
                .contentType("application/pdf")
                .body(new byte[] {'%', 'P', 'D', 'F', '-', '1'})
                .queryParam("name", "report.pdf")
                .when()
                .post(EVIDENCE, workspace)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        flipAByteOfWrappedDek("evidence_file", id);
        String path = owner(workspace)
                .when()
                .get(EVIDENCE + "/{id}/download-url", workspace, id)
                .then()
                .statusCode(200)
                .extract()
                .path("path");
        double before = unreadable("evidence");

        owner(workspace)
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/" + path)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/bad-wrapped-key"));

        assertThat(unreadable("evidence") - before).isEqualTo(1.0);
        var event = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace)
                        && r.value().contains("record.unreadable")
                        && r.value().contains(id),
                Duration.ofSeconds(30));
        assertThat(event.value()).contains("\"outcome\":\"error\"").contains("bad-wrapped-key");
    }

    @Test
    void update_withSwappedWrappedDek_is422AndChangesNothing() {
        String workspace = TestApi.newWorkspace();
        String first = person(workspace, "first@example.com");
        String second = person(workspace, "second@example.com");
        swapWrappedDeks("personnel", first, second);
        byte[] storedBefore =
                (byte[]) TestApi.rawRows("SELECT email_ct FROM {schema}.personnel WHERE id = ?::uuid", first)
                        .get(0)
                        .get("email_ct");

        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("fullName", "Changed", "email", "x@example.com"))
                .when()
                .put(PERSONNEL + "/{id}", workspace, first)
                .then()
                .statusCode(422)
                .body("type", equalTo("https://spalce.dev/problems/bad-wrapped-key"));

        assertThat((byte[]) TestApi.rawRows("SELECT email_ct FROM {schema}.personnel WHERE id = ?::uuid", first)
                        .get(0)
                        .get("email_ct"))
                .isEqualTo(storedBefore);
        KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace)
                        && r.value().contains("record.unreadable")
                        && r.value().contains(first),
                Duration.ofSeconds(30));
    }

    @Test
    void page_withTwoSwappedWrappedDeks_servesTheOthersAndMarksEachBadOne() {
        String workspace = TestApi.newWorkspace();
        List<String> ids = List.of(
                person(workspace, "p0@example.com"),
                person(workspace, "p1@example.com"),
                person(workspace, "p2@example.com"),
                person(workspace, "p3@example.com"));
        swapWrappedDeks("personnel", ids.get(1), ids.get(3));
        double before = unreadable("personnel");

        JsonPath page = owner(workspace)
                .queryParam("limit", 10)
                .when()
                .get(PERSONNEL, workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(4))
                .extract()
                .jsonPath();

        for (int i = 0; i < 4; i++) {
            String prefix = "items.find { it.id == '" + ids.get(i) + "' }.";
            if (i == 1 || i == 3) {
                assertThat(page.getString(prefix + "error.type"))
                        .isEqualTo("https://spalce.dev/problems/bad-wrapped-key");
                assertThat(page.getInt(prefix + "error.status")).isEqualTo(422);
                assertThat(page.getString(prefix + "email")).isNull();
            } else {
                assertThat(page.getString(prefix + "email")).isEqualTo("p" + i + "@example.com");
                assertThat(page.getMap(prefix)).doesNotContainKey("error");
            }
        }
        assertThat(unreadable("personnel") - before).isEqualTo(2.0);
    }

    @Test
    void emailLookup_withBadWrappedDek_answersTheRecordMarkedUnreadable() {
        String workspace = TestApi.newWorkspace();
        String id = person(workspace, "lookup@example.com");
        flipAByteOfWrappedDek("personnel", id);

        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("email", "lookup@example.com"))
                .when()
                .post(PERSONNEL + "/lookup", workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo(id))
                .body("items[0].error.type", equalTo("https://spalce.dev/problems/bad-wrapped-key"));
    }

    @Test
    void checkResults_withOneSwappedWrappedDek_listServesTheOthersAndGetIs422() {
        String workspace = TestApi.newWorkspace();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(owner(workspace)
                    .contentType(ContentType.JSON)
                    .body(Map.of("controlId", "CC6.1", "status", "pass", "runId", "run-1", "details", "detail " + i))
                    .when()
                    .post(CHECK_RESULTS, workspace)
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id"));
        }
        swapWrappedDeks("check_result", ids.get(0), ids.get(2));
        double before = unreadable("check-result");

        JsonPath list = owner(workspace)
                .when()
                .get(CHECK_RESULTS, workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(3))
                .extract()
                .jsonPath();
        assertThat(list.getString("items.find { it.id == '" + ids.get(1) + "' }.details"))
                .isEqualTo("detail 1");
        assertThat(list.getString("items.find { it.id == '" + ids.get(0) + "' }.error.type"))
                .isEqualTo("https://spalce.dev/problems/bad-wrapped-key");
        assertThat(list.getString("items.find { it.id == '" + ids.get(0) + "' }.details"))
                .isNull();

        owner(workspace)
                .when()
                .get(CHECK_RESULTS + "/{id}", workspace, ids.get(2))
                .then()
                .statusCode(422)
                .body("type", equalTo("https://spalce.dev/problems/bad-wrapped-key"));
        assertThat(unreadable("check-result") - before).isEqualTo(3.0);
    }
}
