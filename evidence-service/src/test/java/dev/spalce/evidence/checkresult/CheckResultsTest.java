package dev.spalce.evidence.checkresult;

import static dev.spalce.evidence.support.TestApi.owner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class CheckResultsTest {

    private static final String BASE = "/internal/v1/workspaces/{ws}/check-results";

    private static String record(String workspace, String control, String status, String run, String details) {
        return owner(workspace).contentType(ContentType.JSON)
                .body(Map.of("controlId", control, "status", status, "runId", run,
                        "evidenceIds", List.of(UUID.randomUUID().toString()), "details", details))
                .when().post(BASE, workspace).then().statusCode(201).extract().path("id");
    }

    @Test
    void recordedResults_areQueriedByControlRunAndStatusWithDetailsEncryptedAtRest() {
        String workspace = TestApi.newWorkspace();
        String details = "bucket s3://acme-payroll is public " + UUID.randomUUID();
        String id = record(workspace, "CC6.1", "fail", "run-1", details);
        record(workspace, "CC6.1", "pass", "run-2", "ok");
        record(workspace, "CC7.2", "pass", "run-2", "ok");

        owner(workspace).queryParam("control", "CC6.1").when().get(BASE, workspace)
                .then().statusCode(200).body("items", hasSize(2));
        owner(workspace).queryParam("run", "run-2").queryParam("status", "pass").when().get(BASE, workspace)
                .then().statusCode(200).body("items", hasSize(2));
        owner(workspace).when().get(BASE + "/{id}", workspace, id).then().statusCode(200)
                .body("details", equalTo(details)).body("status", equalTo("fail"));

        assertThat(TestApi.dump(TestApi.rawRows("SELECT * FROM {schema}.check_result WHERE id = ?::uuid", id)))
                .doesNotContain("acme-payroll");
        var event = KafkaTestClient.awaitRecord(Topic.AUDIT.topicName(), r -> r.key().equals(workspace)
                && r.value().contains("scan.completed") && r.value().contains(id), Duration.ofSeconds(30));
        assertThat(event.value()).doesNotContain("acme-payroll");
    }

    @Test
    void invalidResult_isATypedBadRequestAndOtherWorkspacesSee404() {
        String workspace = TestApi.newWorkspace();
        String stranger = TestApi.newWorkspace();
        owner(workspace).contentType(ContentType.JSON)
                .body(Map.of("controlId", "CC6.1", "status", "maybe", "runId", "r"))
                .when().post(BASE, workspace).then().statusCode(400).contentType("application/problem+json");
        String id = record(workspace, "CC1.1", "pass", "r", "fine");

        owner(stranger).when().get(BASE + "/{id}", stranger, id).then().statusCode(404);
        owner(stranger).when().delete(BASE + "/{id}", stranger, id).then().statusCode(404);
        owner(workspace).when().delete(BASE + "/{id}", workspace, id).then().statusCode(204);
        owner(workspace).when().get(BASE + "/{id}", workspace, id).then().statusCode(404);
    }
}
