package dev.spalce.evidence.checkresult;

import static dev.spalce.evidence.support.TestApi.owner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.spalce.contracts.Topic;
import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class CheckResultsTest {

    private static final String BASE = "/internal/v1/workspaces/{ws}/check-results";

    private static String record(String workspace, String control, String status, String run, String details) {
        return owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "controlId",
                        control,
                        "status",
                        status,
                        "runId",
                        run,
                        "evidenceIds",
                        List.of(UUID.randomUUID().toString()),
                        "details",
                        details))
                .when()
                .post(BASE, workspace)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void recordedResults_areQueriedByControlRunAndStatusWithDetailsEncryptedAtRest() {
        String workspace = TestApi.newWorkspace();
        String details = "bucket s3://acme-payroll is public " + UUID.randomUUID();
        String id = record(workspace, "CC6.1", "fail", "run-1", details);
        record(workspace, "CC6.1", "pass", "run-2", "ok");
        record(workspace, "CC7.2", "pass", "run-2", "ok");

        owner(workspace)
                .queryParam("control", "CC6.1")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(2));
        owner(workspace)
                .queryParam("run", "run-2")
                .queryParam("status", "pass")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(2));
        owner(workspace)
                .when()
                .get(BASE + "/{id}", workspace, id)
                .then()
                .statusCode(200)
                .body("details", equalTo(details))
                .body("status", equalTo("fail"));

        assertThat(TestApi.dump(TestApi.rawRows("SELECT * FROM {schema}.check_result WHERE id = ?::uuid", id)))
                .doesNotContain("acme-payroll");
        var event = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace)
                        && r.value().contains("scan.completed")
                        && r.value().contains(id),
                Duration.ofSeconds(30));
        assertThat(event.value()).doesNotContain("acme-payroll");
    }

    @Test
    void invalidResult_isATypedBadRequestAndOtherWorkspacesSee404() {
        String workspace = TestApi.newWorkspace();
        String stranger = TestApi.newWorkspace();
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("controlId", "CC6.1", "status", "maybe", "runId", "r"))
                .when()
                .post(BASE, workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        String id = record(workspace, "CC1.1", "pass", "r", "fine");

        owner(stranger).when().get(BASE + "/{id}", stranger, id).then().statusCode(404);
        owner(stranger).when().delete(BASE + "/{id}", stranger, id).then().statusCode(404);
        owner(workspace).when().delete(BASE + "/{id}", workspace, id).then().statusCode(204);
        owner(workspace).when().get(BASE + "/{id}", workspace, id).then().statusCode(404);
    }

    @Test
    void recordedRun_storesEveryResultUnderItsOwnDek_withOneMintCall_andAuditsTheRunOnce() {
        String workspace = TestApi.newWorkspace();
        String run = "run-" + UUID.randomUUID();
        List<Map<String, Object>> results = IntStream.range(0, 250)
                .<Map<String, Object>>mapToObj(i -> Map.of(
                        "controlId",
                        "CC" + (i % 9) + "." + i,
                        "status",
                        i % 5 == 0 ? "fail" : "pass",
                        "details",
                        "host db-" + i + ".acme.internal listens on 5432"))
                .toList();
        long mintBatchesBefore = TestApi.cryptoCalls("mint-batch");

        List<Map<String, Object>> recorded = owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("runId", run, "results", results))
                .when()
                .post(BASE + "/batch", workspace)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getList("items");

        assertThat(TestApi.cryptoCalls("mint-batch")).isEqualTo(mintBatchesBefore + 1);
        assertThat(recorded).hasSize(250);
        for (int i = 0; i < 250; i++) {
            assertThat(recorded.get(i))
                    .containsEntry("controlId", results.get(i).get("controlId"))
                    .containsEntry("runId", run)
                    .containsEntry("details", results.get(i).get("details"));
        }
        List<Map<String, Object>> rows =
                TestApi.rawRows("SELECT id, wrapped_dek, details_ct FROM {schema}.check_result WHERE run_id = ?", run);
        assertThat(rows).hasSize(250);
        assertThat(rows.stream()
                        .map(row -> TestApi.dump(List.of(Map.of("k", row.get("wrapped_dek")))))
                        .distinct())
                .hasSize(250);
        assertThat(TestApi.dump(rows)).doesNotContain("acme.internal");
        owner(workspace)
                .queryParam("run", run)
                .queryParam("status", "fail")
                .queryParam("limit", 100)
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(50))
                .body("items.details", everyItem(containsString(".acme.internal listens")));
        var event = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace)
                        && r.value().contains("scan.completed")
                        && r.value().contains(run),
                Duration.ofSeconds(30));
        assertThat(event.value())
                .contains("\"check-run\"")
                .contains("\"results\":\"250\"")
                .contains("\"fail\":\"50\"")
                .contains("\"pass\":\"200\"")
                .doesNotContain("acme.internal");
    }

    @Test
    void runOf500Results_isListedWhole_pageByPageThroughTheCursor_newestFirst() {
        String workspace = TestApi.newWorkspace();
        String run = "run-" + UUID.randomUUID();
        List<Map<String, Object>> results = IntStream.range(0, 500)
                .<Map<String, Object>>mapToObj(i -> Map.of("controlId", "CC" + i, "status", "pass"))
                .toList();
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("runId", run, "results", results))
                .when()
                .post(BASE + "/batch", workspace)
                .then()
                .statusCode(201);

        Set<String> seen = new HashSet<>();
        List<String> times = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = owner(workspace).queryParam("run", run).queryParam("limit", 100);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.when()
                    .get(BASE, workspace)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<String> ids = page.getList("items.id");
            assertThat(ids).hasSizeBetween(1, 100);
            ids.forEach(id -> assertThat(seen.add(id)).as("listed once: " + id).isTrue());
            times.addAll(page.getList("items.recordedAt"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).hasSize(500);
        assertThat(pages).as("the fifth page is the last, with no cursor").isEqualTo(5);
        assertThat(times)
                .isSortedAccordingTo(
                        Comparator.comparing(java.time.Instant::parse).reversed());
    }

    @Test
    void cursorNotIssuedByTheService_isATypedBadRequest() {
        String workspace = TestApi.newWorkspace();
        owner(workspace)
                .queryParam("cursor", "yesterday")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void invalidRun_isRefusedWhole_andStoresNothing() {
        String workspace = TestApi.newWorkspace();
        String run = "run-" + UUID.randomUUID();
        Map<String, Object> valid = Map.of("controlId", "CC1.1", "status", "pass");

        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("runId", run, "results", List.of(valid, Map.of("controlId", "CC1.2", "status", "maybe"))))
                .when()
                .post(BASE + "/batch", workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem(containsString("status")));
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("runId", run, "results", Collections.nCopies(501, valid)))
                .when()
                .post(BASE + "/batch", workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("runId", run, "results", List.of()))
                .when()
                .post(BASE + "/batch", workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");

        assertThat(TestApi.rawRows("SELECT id FROM {schema}.check_result WHERE run_id = ?", run))
                .isEmpty();
    }
}
