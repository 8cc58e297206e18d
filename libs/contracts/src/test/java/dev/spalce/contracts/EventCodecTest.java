package dev.spalce.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.audit.AuditCheckpointPublished;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.contracts.rewrap.RewrapProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static String golden(String name) throws IOException {
        try (InputStream in =
                EventCodecTest.class.getResourceAsStream("/dev/spalce/contracts/golden/" + name + ".json")) {
            assertThat(in).as("golden sample " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void decode_goldenUserLogin_yieldsEveryAttributeAndTypedPayload() throws IOException {
        CloudEvent event = EventCodec.decode(golden("audit/user.login"));

        assertThat(event.id()).isEqualTo("5d0c3c2e-8f0a-4b7e-9d59-3c8a3f0c2b11");
        assertThat(event.type()).isEqualTo("user.login");
        assertThat(event.source()).isEqualTo("/spalce/auth-gateway");
        assertThat(event.workspaceId()).isEqualTo(CloudEvent.PLATFORM_WORKSPACE);
        assertThat(event.time()).isEqualTo(Instant.parse("2026-11-24T09:15:02.123Z"));

        AuditPayload payload = EventCodec.data(event, AuditPayload.class);
        assertThat(payload.actor()).isEqualTo(AuditPayload.Actor.user("alice"));
        assertThat(payload.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(payload.details()).containsEntry("issuer", "https://idp.example.com/spalce");
    }

    @Test
    void encode_ofDecodedGolden_isTheSameJson() throws IOException {
        String golden = golden("audit/user.login");
        ObjectMapper json = new ObjectMapper();

        String reencoded = EventCodec.encode(EventCodec.decode(golden));

        assertThat(json.readTree(reencoded)).isEqualTo(json.readTree(golden));
    }

    @Test
    void encode_thenDecode_keepsTheTypedPayload() {
        AuditPayload payload = new AuditPayload(
                AuditPayload.Actor.service("crypto-service"),
                new AuditPayload.Target("cmk", "local:ws-1"),
                Outcome.ERROR,
                "req-1",
                null,
                Map.of("reason", "timeout"));
        CloudEvent event =
                CloudEvent.create("/spalce/crypto-service", "cmk.rotated", "ws-1", EventCodec.toData(payload));

        CloudEvent decoded = EventCodec.decode(EventCodec.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(EventCodec.data(decoded, AuditPayload.class)).isEqualTo(payload);
        assertThat(EventCodec.encode(event)).doesNotContain("sourceAddress");
    }

    @Test
    void decode_withWrongSpecVersion_isRejectedWithTheRule() {
        assertThatThrownBy(() -> EventCodec.decode("""
                {"specversion":"0.3","id":"1","source":"/x","type":"t","time":"2026-01-01T00:00:00Z",
                 "workspaceid":"w","data":{}}"""))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("specversion");
    }

    @Test
    void decode_withoutWorkspace_isRejected() {
        assertThatThrownBy(() -> EventCodec.decode("""
                {"specversion":"1.0","id":"1","source":"/x","type":"t","time":"2026-01-01T00:00:00Z","data":{}}"""))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("workspaceid");
    }

    @Test
    void decode_ofNonJson_isRejectedWithoutEchoingThePayload() {
        assertThatThrownBy(() -> EventCodec.decode("hunter2secret"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("not JSON")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void data_thatDoesNotFitTheType_isRejected() {
        CloudEvent event = EventCodec.decode("""
                {"specversion":"1.0","id":"1","source":"/x","type":"user.login","time":"2026-01-01T00:00:00Z",
                 "workspaceid":"w","data":{"actor":{"type":"user"}}}""");

        assertThatThrownBy(() -> EventCodec.data(event, AuditPayload.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("actor.subject");
    }

    @Test
    void decode_goldenRewrapProgress_yieldsTheTypedPayload() throws IOException {
        CloudEvent event = EventCodec.decode(golden("rewrap/rewrap.progress"));

        RewrapProgress progress = EventCodec.data(event, RewrapProgress.class);
        assertThat(event.type()).isEqualTo(RewrapProgress.TYPE);
        assertThat(progress.state()).isEqualTo(RewrapProgress.State.RUNNING);
        assertThat(progress.done()).isEqualTo(41250);
        assertThat(progress.etaSeconds()).isEqualTo(24);
        assertThat(new ObjectMapper().readTree(EventCodec.encode(event)))
                .isEqualTo(new ObjectMapper().readTree(golden("rewrap/rewrap.progress")));
    }

    @Test
    void decode_goldenAuditCheckpoint_yieldsTheTypedPayloadAndReencodesIdentically() throws IOException {
        CloudEvent event = EventCodec.decode(golden("audit/audit.checkpoint"));

        AuditCheckpointPublished checkpoint = EventCodec.data(event, AuditCheckpointPublished.class);
        assertThat(event.type()).isEqualTo(AuditCheckpointPublished.TYPE);
        assertThat(checkpoint.workspaceId()).isEqualTo(event.workspaceId());
        assertThat(checkpoint.seq()).isEqualTo(1284);
        assertThat(checkpoint.keyId()).isEqualTo("c4cf0896d90ce3a2");
        assertThat(new ObjectMapper().readTree(EventCodec.encode(event)))
                .isEqualTo(new ObjectMapper().readTree(golden("audit/audit.checkpoint")));
        assertThat(new TopicConfigSource().getValue("spalce.topic.audit-checkpoints"))
                .isEqualTo("spalce.audit.checkpoints.v1");
    }

    @Test
    void topicConfigSource_publishesEveryTopicUnderItsProperty() {
        TopicConfigSource source = new TopicConfigSource();

        assertThat(source.getValue("spalce.topic.audit")).isEqualTo("spalce.audit.v1");
        assertThat(source.getValue("spalce.topic.rewrap-progress")).isEqualTo("spalce.rewrap.progress.v1");
        assertThat(source.getPropertyNames()).hasSize(Topic.values().length);
    }
}
