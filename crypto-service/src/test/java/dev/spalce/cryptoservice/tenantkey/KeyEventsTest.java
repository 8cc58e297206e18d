package dev.spalce.cryptoservice.tenantkey;

import static dev.spalce.cryptoservice.support.TestApi.GATEWAY;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.register;
import static dev.spalce.cryptoservice.support.TestApi.rotate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.contracts.keys.CmkRegistered;
import dev.spalce.contracts.keys.CmkRotated;
import dev.spalce.contracts.keys.KeyEventType;
import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.GoldenSamples;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class KeyEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Scheduler scheduler;

    @Test
    void registration_publishesCmkRegisteredAndItsAuditEvent() throws Exception {
        String workspace = newWorkspace();

        String kmsKeyId = register(workspace, "local").getString("currentKmsKeyId");

        CloudEvent event = awaitEvent(Topic.KEYS, workspace, KeyEventType.CMK_REGISTERED);
        CmkRegistered payload = EventCodec.data(event, CmkRegistered.class);
        assertThat(payload.kmsKeyId()).isEqualTo(kmsKeyId);
        assertThat(payload.version()).isEqualTo(1);
        assertThat(payload.keyCreated()).isTrue();
        assertThat(payload.registeredBy()).isEqualTo(AuditPayload.Actor.user("owner-of-" + workspace));
        assertThat(fieldPaths(EventCodec.encode(event)))
                .isEqualTo(fieldPaths(GoldenSamples.load("keys/cmk.registered")));
        AuditPayload audit = EventCodec.data(awaitEvent(Topic.AUDIT, workspace, "cmk.registered"), AuditPayload.class);
        assertThat(audit.target()).isEqualTo(new AuditPayload.Target("cmk", kmsKeyId));
        assertThat(audit.details()).containsEntry("via", GATEWAY).containsEntry("provider", "local");
    }

    @Test
    void rotation_publishesCmkRotatedShapedLikeTheGoldenSample_andItsAuditEvent() throws Exception {
        String workspace = newWorkspace();
        register(workspace, "local");

        String kmsKeyId = rotate(workspace).getString("currentKmsKeyId");

        ConsumerRecord<String, String> record = awaitRecord(Topic.KEYS, workspace, KeyEventType.CMK_ROTATED);
        assertThat(record.key()).isEqualTo(workspace);
        assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.US_ASCII))
                .isEqualTo(CloudEvent.CONTENT_TYPE);
        CloudEvent event = EventCodec.decode(record.value());
        assertThat(event.source()).isEqualTo("/spalce/crypto-service");
        assertThat(event.workspaceId()).isEqualTo(workspace);
        CmkRotated payload = EventCodec.data(event, CmkRotated.class);
        assertThat(payload.previousVersion()).isEqualTo(1);
        assertThat(payload.newVersion()).isEqualTo(2);
        assertThat(payload.kmsKeyId()).isEqualTo(kmsKeyId);
        assertThat(payload.previousKmsKeyId()).isEqualTo(kmsKeyId.replace("#v2", "#v1"));
        assertThat(payload.reason()).isEqualTo(CmkRotated.Reason.ON_DEMAND);
        assertThat(payload.rotatedBy()).isEqualTo(AuditPayload.Actor.user("owner-of-" + workspace));
        assertThat(fieldPaths(record.value())).isEqualTo(fieldPaths(GoldenSamples.load("keys/cmk.rotated")));

        AuditPayload audit = EventCodec.data(awaitEvent(Topic.AUDIT, workspace, "cmk.rotated"), AuditPayload.class);
        assertThat(audit.actor()).isEqualTo(AuditPayload.Actor.user("owner-of-" + workspace));
        assertThat(audit.target()).isEqualTo(new AuditPayload.Target("cmk", kmsKeyId));
        assertThat(audit.details())
                .containsEntry("previousVersion", "1")
                .containsEntry("newVersion", "2")
                .containsEntry("reason", "on-demand")
                .containsEntry("via", GATEWAY);
        assertThat(audit.requestId()).isNotBlank();
    }

    @Test
    void policyChangeAndRetirement_areAuditedWithTheActingOwner() {
        String workspace = newWorkspace();
        register(workspace, "local");
        String v1 = rotate(workspace).getString("versions[0].kmsKeyId");
        String owner = "owner-of-" + workspace;

        io.restassured.RestAssured.given()
                .auth()
                .oauth2(GatewayTokens.owner(workspace))
                .contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("rotationPeriodDays", 90))
                .when()
                .put("/internal/v1/workspaces/{ws}/keys/rotation-policy", workspace)
                .then()
                .statusCode(200);
        io.restassured.RestAssured.given()
                .auth()
                .oauth2(GatewayTokens.owner(workspace))
                .contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("state", "retirable"))
                .when()
                .put("/internal/v1/workspaces/{ws}/keys/versions/1/state", workspace)
                .then()
                .statusCode(200);

        AuditPayload policy =
                EventCodec.data(awaitEvent(Topic.AUDIT, workspace, "cmk.rotation-policy-changed"), AuditPayload.class);
        assertThat(policy.actor()).isEqualTo(AuditPayload.Actor.user(owner));
        assertThat(policy.details())
                .containsEntry("previousRotationPeriodDays", "365")
                .containsEntry("rotationPeriodDays", "90");
        AuditPayload retired =
                EventCodec.data(awaitEvent(Topic.AUDIT, workspace, "cmk.version-state-changed"), AuditPayload.class);
        assertThat(retired.target()).isEqualTo(new AuditPayload.Target("cmk", v1));
        assertThat(retired.details()).containsEntry("previousState", "enabled").containsEntry("state", "retirable");
    }

    /**
     * What a crash between the commit of a rotation and the publication of its event looks like to the system:
     * the rotation is committed, its events sit in the outbox, and nothing publishes them. Here the publisher (the
     * outbox relay job) is paused instead of the process being killed. The test shows that the events were
     * committed in the rotation's own transaction (they are in the table the moment the API answers, while no
     * publisher runs), that they wait there indefinitely without a publisher, and that a publisher starting later
     * delivers them. It does not kill a JVM in the middle of a Kafka send; that case (sent, not yet deleted) ends
     * in a redelivery, which consumers absorb by event id.
     */
    @Test
    void rotationEvent_committedWhileNoPublisherRuns_isDeliveredOnceAPublisherRunsAgain() throws Exception {
        String workspace = newWorkspace();
        register(workspace, "local");
        awaitEvent(Topic.KEYS, workspace, KeyEventType.CMK_REGISTERED);
        String relay = outboxRelayJob();
        scheduler.pause(relay);
        try {
            // A relay run that started before the pause may still be finishing its batch.
            Thread.sleep(2_000);

            String kmsKeyId = rotate(workspace).getString("currentKmsKeyId");

            assertThat(outboxRows(workspace))
                    .hasSize(2)
                    .allSatisfy(row -> assertThat(row).contains(kmsKeyId));
            Thread.sleep(3_000);
            assertThat(outboxRows(workspace)).hasSize(2);
            assertThat(KafkaTestClient.records(Topic.KEYS.topicName(), WAIT))
                    .noneMatch(r ->
                            workspace.equals(r.key()) && r.value().contains("\"" + KeyEventType.CMK_ROTATED + "\""));
        } finally {
            scheduler.resume(relay);
        }

        CmkRotated delivered =
                EventCodec.data(awaitEvent(Topic.KEYS, workspace, KeyEventType.CMK_ROTATED), CmkRotated.class);
        assertThat(delivered.newVersion()).isEqualTo(2);
        awaitEvent(Topic.AUDIT, workspace, "cmk.rotated");
        await().atMost(WAIT).until(() -> outboxRows(workspace).isEmpty());
    }

    private String outboxRelayJob() {
        return scheduler.getScheduledJobs().stream()
                .filter(trigger -> trigger.getMethodDescription().contains("OutboxRelay"))
                .map(Trigger::getId)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no outbox relay job is scheduled"));
    }

    private static List<String> outboxRows(String workspace) throws SQLException {
        try (Connection admin = Infrastructure.adminConnection();
                PreparedStatement query = admin.prepareStatement("SELECT payload FROM " + CryptoTestResource.SCHEMA
                        + ".outbox_message WHERE message_key = ? AND payload LIKE '%cmk.rotated%'")) {
            query.setString(1, workspace);
            List<String> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        }
    }

    static ConsumerRecord<String, String> awaitRecord(Topic topic, String workspace, String type) {
        return KafkaTestClient.awaitRecord(
                topic.topicName(),
                r -> workspace.equals(r.key())
                        && EventCodec.decode(r.value()).type().equals(type),
                WAIT);
    }

    static CloudEvent awaitEvent(Topic topic, String workspace, String type) {
        return EventCodec.decode(awaitRecord(topic, workspace, type).value());
    }

    static TreeSet<String> fieldPaths(String json) throws Exception {
        TreeSet<String> paths = new TreeSet<>();
        collect("", JSON.readTree(json), paths);
        return paths;
    }

    private static void collect(String prefix, JsonNode node, TreeSet<String> paths) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            paths.add(prefix + name);
            if (node.get(name).isObject()) {
                collect(prefix + name + ".", node.get(name), paths);
            }
        }
    }
}
