package dev.spalce.evidence.export;

import static dev.spalce.evidence.support.TestApi.owner;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.contracts.Topic;
import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An export whose instance stopped (kill -9, a lost node) is left {@code running} with a lease nobody renews. Here
 * such a row is written as that instance would have left it; this instance, sweeping every second (lease 4 s in the
 * test profile), must take it over, or fail it once it has had its attempts, and leave alone one whose lease is
 * alive. audit-log-service does not run beside these tests, so an attempt that is written again fails there: what
 * is checked is the takeover, not the archive (e2e WorkspaceExportIT writes whole archives).
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class ExportTakeoverTest {

    private static final String REQUESTER = "owner-" + UUID.randomUUID();

    @Test
    void export_whoseInstanceStopped_isTakenOver_andWrittenAgainUnderAKeyOfItsOwn() {
        String workspace = TestApi.newWorkspace();
        UUID id = orphan(workspace, 1, "- interval '1 minute'");

        var takenOver = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace) && r.value().contains("\"type\":\"export.taken-over\""),
                Duration.ofSeconds(60));
        assertThat(takenOver.value())
                .contains(id.toString())
                .contains("\"attempt\":\"2\"")
                .contains("\"type\":\"service\"")
                .contains("evidence-service");

        Map<String, Object> row = rowOnceFinished(id);
        assertThat(row.get("state")).isEqualTo("failed");
        assertThat(row.get("attempt")).isEqualTo(2);
        assertThat((String) row.get("object_key")).endsWith("/exports/" + id + "-2.zip");
        // The second attempt ran for the one who asked for the export, and its failure is theirs to see.
        var failed = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace)
                        && r.value().contains("\"type\":\"export.failed\"")
                        && r.value().contains(id.toString()),
                Duration.ofSeconds(60));
        assertThat(failed.value()).contains(REQUESTER);
    }

    @Test
    void export_thatHasHadItsAttempts_isFailed_notWrittenAgain() {
        String workspace = TestApi.newWorkspace();
        UUID id = orphan(workspace, 3, "- interval '1 minute'");

        Map<String, Object> row = rowOnceFinished(id);

        assertThat(row.get("state")).isEqualTo("failed");
        assertThat(row.get("error")).isEqualTo("abandoned after 3 attempts");
        assertThat(TestApi.objectKeys(workspace)).noneMatch(key -> key.contains("/exports/"));
        var failed = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace) && r.value().contains("\"type\":\"export.failed\""),
                Duration.ofSeconds(60));
        assertThat(failed.value()).contains("abandoned after 3 attempts").contains("evidence-service");
    }

    @Test
    void export_whoseLeaseIsAlive_isLeftToItsInstance() throws InterruptedException {
        String workspace = TestApi.newWorkspace();
        UUID id = orphan(workspace, 1, "+ interval '1 hour'");

        // Three sweeps or more.
        Thread.sleep(3_500);

        Map<String, Object> row = row(id);
        assertThat(row.get("state")).isEqualTo("running");
        assertThat(row.get("attempt")).isEqualTo(1);
        owner(workspace)
                .when()
                .get("/internal/v1/workspaces/{ws}/exports/{id}", workspace, id)
                .then()
                .statusCode(200);
    }

    /** A running export as an instance leaves it, its lease ending at now {@code leaseFromNow}. */
    private static UUID orphan(String workspace, int attempt, String leaseFromNow) {
        UUID id = UUID.randomUUID();
        TestApi.rawRows(
                "INSERT INTO {schema}.workspace_export (id, workspace_id, state, requested_by, records_total,"
                        + " object_key, lease_until, attempt)"
                        + " VALUES (?, ?, 'running', ?, 0, ?, clock_timestamp() " + leaseFromNow + ", ?)"
                        + " RETURNING id",
                id,
                workspace,
                "user:" + REQUESTER,
                "workspaces/" + workspace + "/exports/" + id + ".zip",
                attempt);
        return id;
    }

    private static Map<String, Object> row(UUID id) {
        return TestApi.rawRows(
                        "SELECT state, attempt, object_key, error FROM {schema}.workspace_export WHERE id = ?", id)
                .get(0);
    }

    private static Map<String, Object> rowOnceFinished(UUID id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Object> row = row(id);
        while ("running".equals(row.get("state")) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            row = row(id);
        }
        return row;
    }
}
