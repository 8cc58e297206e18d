package dev.spalce.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The service kit's outbox relay in a real service: an event committed to the outbox while nothing published
 * it (the state a crash between commit and publish leaves behind) is published once the relay runs, and then
 * removed from the outbox.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class OutboxRelayTest {

    @Test
    void eventCommittedButNeverPublished_isPublishedByTheRelayAndLeavesTheOutbox() throws Exception {
        String workspace = UUID.randomUUID().toString();
        CloudEvent event = CloudEvent.create(
                "/spalce/auth-gateway",
                "member.invited",
                workspace,
                EventCodec.toData(new AuditPayload(
                        AuditPayload.Actor.user("owner-1"),
                        new AuditPayload.Target("invitation", "inv-1"),
                        Outcome.SUCCESS,
                        "req-outbox-1",
                        null,
                        Map.of())));
        try (Connection admin = Infrastructure.adminConnection();
                PreparedStatement insert = admin.prepareStatement(
                        "INSERT INTO gateway.outbox_message (id, topic, message_key, payload) VALUES (?::uuid, ?, ?, ?)")) {
            insert.setString(1, event.id());
            insert.setString(2, Topic.AUDIT.topicName());
            insert.setString(3, workspace);
            insert.setString(4, EventCodec.encode(event));
            insert.executeUpdate();
        }

        var published = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(), record -> workspace.equals(record.key()), Duration.ofSeconds(30));

        assertThat(EventCodec.decode(published.value())).isEqualTo(event);
        assertThat(published.headers().lastHeader("content-type").value())
                .asString()
                .isEqualTo(CloudEvent.CONTENT_TYPE);
        await().atMost(Duration.ofSeconds(10)).until(() -> pending(event.id()) == 0);
    }

    private static int pending(String eventId) throws Exception {
        try (Connection admin = Infrastructure.adminConnection();
                PreparedStatement count =
                        admin.prepareStatement("SELECT count(*) FROM gateway.outbox_message WHERE id = ?::uuid")) {
            count.setString(1, eventId);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
