package dev.spalce.contracts.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.InvalidEventException;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class KeyEventsCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String golden(String name) throws IOException {
        try (InputStream in =
                KeyEventsCodecTest.class.getResourceAsStream("/dev/spalce/contracts/golden/" + name + ".json")) {
            assertThat(in).as("golden sample " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void decode_goldenCmkRegistered_yieldsTheTypedPayload() throws IOException {
        CloudEvent event = EventCodec.decode(golden("keys/cmk.registered"));

        assertThat(event.type()).isEqualTo(KeyEventType.CMK_REGISTERED);
        assertThat(event.source()).isEqualTo("/spalce/crypto-service");
        assertThat(event.workspaceId()).isEqualTo("ws-7f3c");
        CmkRegistered payload = EventCodec.data(event, CmkRegistered.class);
        assertThat(payload.provider()).isEqualTo("local");
        assertThat(payload.kmsKeyId()).isEqualTo(payload.provider() + ":" + payload.keyReference() + "#v1");
        assertThat(payload.version()).isEqualTo(1);
        assertThat(payload.keyCreated()).isTrue();
        assertThat(payload.rotationPeriodDays()).isEqualTo(365);
        assertThat(payload.nextRotationAt()).isEqualTo(Instant.parse("2027-11-24T10:02:11.397Z"));
        assertThat(payload.registeredBy()).isEqualTo(Actor.user("alice"));
    }

    @Test
    void decode_goldenCmkRotated_yieldsTheTypedPayload() throws IOException {
        CloudEvent event = EventCodec.decode(golden("keys/cmk.rotated"));

        assertThat(event.type()).isEqualTo(KeyEventType.CMK_ROTATED);
        CmkRotated payload = EventCodec.data(event, CmkRotated.class);
        assertThat(payload.previousKmsKeyId()).endsWith("#v1");
        assertThat(payload.previousVersion()).isEqualTo(1);
        assertThat(payload.kmsKeyId()).endsWith("#v2");
        assertThat(payload.newVersion()).isEqualTo(2);
        assertThat(payload.reason()).isEqualTo(CmkRotated.Reason.SCHEDULED);
        assertThat(payload.rotatedBy()).isEqualTo(Actor.system("crypto-service/key-rotation"));
    }

    @Test
    void decode_goldenCmkChanged_yieldsTheTypedPayload() throws IOException {
        CloudEvent event = EventCodec.decode(golden("keys/cmk.changed"));

        assertThat(event.type()).isEqualTo(KeyEventType.CMK_CHANGED);
        CmkChanged payload = EventCodec.data(event, CmkChanged.class);
        assertThat(payload.previousKmsKeyId())
                .isEqualTo(payload.previousProvider() + ":" + payload.previousKeyReference() + "#v2");
        assertThat(payload.kmsKeyId()).isEqualTo(payload.provider() + ":" + payload.keyReference() + "#v1");
        assertThat(payload.provider()).isEqualTo("pkcs11");
        assertThat(payload.version()).isEqualTo(1);
        assertThat(payload.keyCreated()).isTrue();
        assertThat(payload.changedBy()).isEqualTo(Actor.user("alice"));
    }

    @Test
    void cmkChanged_withoutThePreviousKey_isRefused() {
        assertThatThrownBy(() ->
                        new CmkChanged("local", "k", null, "pkcs11", "n", "pkcs11:n#v1", 1, true, Actor.user("alice")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("previousKmsKeyId");
    }

    @Test
    void decode_goldenRewrapRequested_yieldsTheTypedPayload() throws IOException {
        CloudEvent event = EventCodec.decode(golden("keys/rewrap.requested"));

        assertThat(event.type()).isEqualTo(KeyEventType.REWRAP_REQUESTED);
        assertThat(event.workspaceId()).isEqualTo("ws-7f3c");
        RewrapRequested payload = EventCodec.data(event, RewrapRequested.class);
        assertThat(payload.targetKmsKeyId()).endsWith("#v2");
        assertThat(payload.requestedBy()).isEqualTo(Actor.user("alice"));
    }

    @Test
    void rewrapRequested_forTheCurrentVersion_leavesTheTargetOut() throws IOException {
        CloudEvent event = CloudEvent.create(
                "/spalce/auth-gateway",
                KeyEventType.REWRAP_REQUESTED,
                "ws-1",
                EventCodec.toData(new RewrapRequested(null, Actor.user("bob"))));

        String encoded = EventCodec.encode(event);

        assertThat(JSON.readTree(encoded).at("/data").has("targetKmsKeyId")).isFalse();
        assertThat(EventCodec.data(EventCodec.decode(encoded), RewrapRequested.class)
                        .targetKmsKeyId())
                .isNull();
    }

    @Test
    void rewrapRequested_withoutItsActor_isRejected() {
        CloudEvent event = EventCodec.decode("""
                {"specversion":"1.0","id":"1","source":"/spalce/auth-gateway","type":"rewrap.requested",
                 "time":"2026-01-01T00:00:00Z","workspaceid":"w","data":{"targetKmsKeyId":"local:k#v2"}}""");

        assertThatThrownBy(() -> EventCodec.data(event, RewrapRequested.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("requestedBy");
    }

    @Test
    void encode_ofDecodedGoldens_isTheSameJson() throws IOException {
        for (String name : List.of("keys/cmk.registered", "keys/cmk.rotated", "keys/rewrap.requested")) {
            String golden = golden(name);

            String reencoded = EventCodec.encode(EventCodec.decode(golden));

            assertThat(JSON.readTree(reencoded)).as(name).isEqualTo(JSON.readTree(golden));
        }
    }

    @Test
    void typedPayload_encodedIntoAnEvent_hasTheGoldenShapeAndDecodesBack() throws IOException {
        CmkRotated payload = new CmkRotated(
                "pkcs11",
                "cmk-1",
                "pkcs11:cmk-1#v4",
                4,
                "pkcs11:cmk-1#v5",
                5,
                CmkRotated.Reason.ON_DEMAND,
                Actor.user("bob"),
                Instant.parse("2030-01-01T00:00:00Z"));
        CloudEvent event = CloudEvent.create(
                "/spalce/crypto-service", KeyEventType.CMK_ROTATED, "ws-1", EventCodec.toData(payload));

        String encoded = EventCodec.encode(event);

        assertThat(fieldPaths(JSON.readTree(encoded))).isEqualTo(fieldPaths(JSON.readTree(golden("keys/cmk.rotated"))));
        assertThat(JSON.readTree(encoded).at("/data/reason").asText()).isEqualTo("on-demand");
        assertThat(EventCodec.data(EventCodec.decode(encoded), CmkRotated.class))
                .isEqualTo(payload);
    }

    @Test
    void goldens_holdNoFieldThatCouldCarryKeyMaterial() throws IOException {
        for (String name : List.of("keys/cmk.registered", "keys/cmk.rotated", "keys/rewrap.requested")) {
            List<String> paths = fieldPaths(JSON.readTree(golden(name)));

            assertThat(paths).as(name).noneMatch(path -> {
                String lower = path.toLowerCase(Locale.ROOT);
                return lower.contains("plaintext")
                        || lower.contains("secret")
                        || lower.contains("wrapped")
                        || lower.contains("material")
                        || lower.endsWith("dek");
            });
        }
    }

    @Test
    void rotated_withoutANewerVersion_isRejected() {
        CloudEvent event = EventCodec.decode("""
                {"specversion":"1.0","id":"1","source":"/spalce/crypto-service","type":"cmk.rotated",
                 "time":"2026-01-01T00:00:00Z","workspaceid":"w","data":{"provider":"local","keyReference":"k",
                 "previousKmsKeyId":"local:k#v2","previousVersion":2,"kmsKeyId":"local:k#v2","newVersion":2,
                 "reason":"scheduled","rotatedBy":{"type":"system","subject":"s"},
                 "nextRotationAt":"2027-01-01T00:00:00Z"}}""");

        assertThatThrownBy(() -> EventCodec.data(event, CmkRotated.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("newVersion");
    }

    @Test
    void registered_withoutItsActor_isRejected() {
        CloudEvent event = EventCodec.decode("""
                {"specversion":"1.0","id":"1","source":"/spalce/crypto-service","type":"cmk.registered",
                 "time":"2026-01-01T00:00:00Z","workspaceid":"w","data":{"provider":"local","keyReference":"k",
                 "kmsKeyId":"local:k#v1","version":1,"keyCreated":true,"rotationPeriodDays":365,
                 "nextRotationAt":"2027-01-01T00:00:00Z"}}""");

        assertThatThrownBy(() -> EventCodec.data(event, CmkRegistered.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("registeredBy");
    }

    @Test
    void rotationReason_withAnUnknownWireName_isRejected() {
        CloudEvent event = EventCodec.decode("""
                {"specversion":"1.0","id":"1","source":"/spalce/crypto-service","type":"cmk.rotated",
                 "time":"2026-01-01T00:00:00Z","workspaceid":"w","data":{"provider":"local","keyReference":"k",
                 "previousKmsKeyId":"local:k#v1","previousVersion":1,"kmsKeyId":"local:k#v2","newVersion":2,
                 "reason":"because","rotatedBy":{"type":"system","subject":"s"},
                 "nextRotationAt":"2027-01-01T00:00:00Z"}}""");

        assertThatThrownBy(() -> EventCodec.data(event, CmkRotated.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("reason");
    }

    private static List<String> fieldPaths(JsonNode node) {
        List<String> paths = new ArrayList<>();
        collect("", node, paths);
        paths.sort(String::compareTo);
        return paths;
    }

    private static void collect(String prefix, JsonNode node, List<String> paths) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            paths.add(prefix + name);
            if (node.get(name).isObject()) {
                collect(prefix + name + ".", node.get(name), paths);
            }
        }
    }
}
