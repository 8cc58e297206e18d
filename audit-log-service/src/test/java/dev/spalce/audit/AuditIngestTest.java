package dev.spalce.audit;

import static dev.spalce.audit.AuditTestEvents.query;
import static dev.spalce.audit.AuditTestEvents.send;
import static dev.spalce.audit.AuditTestEvents.storedCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.contracts.Topic;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class AuditIngestTest {

    @Test
    void goldenEvent_sentTwice_isStoredOnceWithEveryField() {
        String workspace = UUID.randomUUID().toString();
        String eventId = send(workspace, UUID.randomUUID().toString());
        send(workspace, eventId);
        // A later event of the same workspace (same partition) is stored after both copies were consumed.
        String later = send(workspace, UUID.randomUUID().toString());

        await().atMost(Duration.ofSeconds(20)).until(() -> storedCount(workspace) == 2);
        query(workspace, "")
                .body("items.find { it.eventId == '" + eventId + "' }.actor.subject", equalTo("alice"))
                .body("items.find { it.eventId == '" + eventId + "' }.seq", equalTo(1))
                .body("items.find { it.eventId == '" + later + "' }.seq", equalTo(2))
                .body("items.find { it.eventId == '" + eventId + "' }.outcome", equalTo("success"))
                .body("items.find { it.eventId == '" + eventId + "' }.sourceAddress", equalTo("203.0.113.7"))
                .body(
                        "items.find { it.eventId == '" + eventId + "' }.details.issuer",
                        equalTo("https://idp.example.com/spalce"))
                .body("items.find { it.eventId == '" + eventId + "' }.prevHash", equalTo("0".repeat(64)));
    }

    @Test
    void eventsOfOneWorkspace_areChainedInTheOrderTheyWereSent() {
        String workspace = UUID.randomUUID().toString();
        List<String> sent = IntStream.range(0, 40)
                .mapToObj(i -> send(workspace, UUID.randomUUID().toString()))
                .toList();

        await().atMost(Duration.ofSeconds(30)).until(() -> storedCount(workspace) == 40);

        // The API lists newest first.
        List<String> stored = query(workspace, "").extract().jsonPath().getList("items.eventId");
        assertThat(stored).containsExactlyElementsOf(reversed(sent));
        List<Integer> seqs = query(workspace, "").extract().jsonPath().getList("items.seq");
        assertThat(seqs)
                .containsExactlyElementsOf(
                        reversed(IntStream.rangeClosed(1, 40).boxed().toList()));
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new java.util.ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Test
    void malformedEvent_goesToTheDeadLetterTopicWithItsReason_andTheStreamGoesOn() {
        String workspace = UUID.randomUUID().toString();
        String marker = "not-an-event-" + UUID.randomUUID();

        KafkaTestClient.sendCloudEvent(Topic.AUDIT.topicName(), marker, "{\"hello\":\"" + marker + "\"}");
        KafkaTestClient.sendCloudEvent(Topic.AUDIT.topicName(), marker, "\u0000 not even json");
        send(workspace, UUID.randomUUID().toString());

        var dead = KafkaTestClient.awaitRecord(
                Topic.AUDIT_DEAD_LETTER.topicName(),
                record -> marker.equals(record.key()) && record.value().contains(marker),
                Duration.ofSeconds(30));
        Header reason = dead.headers().lastHeader("dead-letter-reason");
        assertThat(new String(reason.value(), StandardCharsets.UTF_8)).contains("specversion");
        assertThat(dead.headers().lastHeader("dead-letter-topic").value())
                .asString(StandardCharsets.UTF_8)
                .isEqualTo(Topic.AUDIT.topicName());
        await().atMost(Duration.ofSeconds(20)).until(() -> storedCount(workspace) == 1);
    }

    @Test
    void serviceRole_cannotUpdateOrDeleteTheLog() throws SQLException {
        try (Connection asService = Infrastructure.connectionAs("spalce_audit")) {
            assertThatThrownBy(() -> asService.createStatement().executeUpdate("UPDATE audit_entry SET outcome = 'x'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> asService.createStatement().executeUpdate("DELETE FROM audit_entry"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> asService.createStatement().executeUpdate("DELETE FROM audit_checkpoint"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void evenTheOwnerRole_isRefusedUpdateDeleteAndTruncateByTheTriggers() throws SQLException {
        String workspace = UUID.randomUUID().toString();
        send(workspace, UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> storedCount(workspace) == 1);

        try (Connection admin = Infrastructure.adminConnection()) {
            var sql = admin.createStatement();
            assertThatThrownBy(() -> sql.executeUpdate(
                            "UPDATE audit.audit_entry SET outcome = 'denied' WHERE workspace_id = '" + workspace + "'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() ->
                            sql.executeUpdate("DELETE FROM audit.audit_entry WHERE workspace_id = '" + workspace + "'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> sql.execute("TRUNCATE audit.audit_checkpoint"))
                    .hasMessageContaining("append-only");
        }
        assertThat(storedCount(workspace)).isEqualTo(1);
    }
}
