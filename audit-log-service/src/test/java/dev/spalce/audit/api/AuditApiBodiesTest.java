package dev.spalce.audit.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.spalce.audit.model.AuditEntry;
import dev.spalce.audit.service.AuditQueryService;
import dev.spalce.audit.signing.SigningKeys.PublishedKey;
import dev.spalce.testsupport.GoldenSamples;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * audit-log-service's answers that the gateway reads, against the golden bodies (libs/contracts): for fixed entries
 * and keys, what the resources' mapping writes is the sample. The mapper is configured as Quarkus configures the
 * service's (Java time module, dates as RFC 3339 text), which is what matters for the entries' times.
 */
class AuditApiBodiesTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void pageOfTwoSignIns_isTheGoldenBody() throws Exception {
        AuditEntry newest = entry(
                "5d0c3c2e-8f0a-4b7e-9d59-3c8a3f0c2b11",
                1284,
                "2026-11-24T09:15:02.123Z",
                "7b1d54f2a9c04e5f",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752");
        newest.requestId = "0f8e6a40-3b52-4a55-8a3c-93c1f3a7d8e0";
        newest.sourceAddress = "203.0.113.7";
        newest.details = Map.of("issuer", "https://idp.example.com/spalce");
        AuditEntry older = entry(
                "2c7e1b9a-4f3d-4a8e-b1c6-7d2e9f0a3b54",
                1283,
                "2026-11-24T08:02:41Z",
                "0a9c3e7b5d1f2468",
                "fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        older.details = Map.of();

        var page = AuditBodies.page(new AuditQueryService.Page(List.of(newest, older), "1283"));

        assertThat(json(page)).isEqualTo(golden("audit-events/page.response"));
    }

    @Test
    void signingKeys_currentThenEarlier_areTheGoldenBody() throws Exception {
        var keys = AuditBodies.signingKeys(List.of(
                new PublishedKey(
                        "c4cf0896d90ce3a2",
                        Base64.getDecoder().decode("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="),
                        true),
                new PublishedKey(
                        "5b1e0a77c2d94f80",
                        Base64.getDecoder().decode("MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="),
                        false)));

        assertThat(json(keys)).isEqualTo(golden("audit-signing-keys/keys.response"));
    }

    private static AuditEntry entry(
            String eventId, long seq, String occurredAt, String session, String prevHash, String entryHash) {
        AuditEntry entry = new AuditEntry();
        entry.eventId = eventId;
        entry.workspaceId = "platform";
        entry.seq = seq;
        entry.occurredAt = Instant.parse(occurredAt);
        entry.receivedAt = Instant.parse(occurredAt);
        entry.source = "/spalce/auth-gateway";
        entry.action = "user.login";
        entry.actorType = "user";
        entry.actorSubject = "alice";
        entry.targetType = "session";
        entry.targetId = session;
        entry.outcome = "success";
        entry.prevHash = HEX.parseHex(prevHash);
        entry.entryHash = HEX.parseHex(entryHash);
        return entry;
    }

    private static JsonNode json(Object body) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(body));
    }

    private static JsonNode golden(String name) throws Exception {
        return JSON.readTree(GoldenSamples.load(name));
    }
}
