package dev.spalce.auditchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical form and hash of the worked example in docs/audit-log.md: if this changes, so must the doc. */
class CanonicalJsonTest {

    static final AuditRecord EXAMPLE = new AuditRecord(
            "ws-7f3c",
            1,
            "5d0c3c2e-8f0a-4b7e-9d59-3c8a3f0c2b11",
            Instant.parse("2026-11-24T09:15:02.123456789Z"),
            "/spalce/auth-gateway",
            "user.login",
            "user",
            "alice",
            "session",
            "7b1d54f2a9c04e5f",
            "success",
            "req-1",
            null,
            Map.of("note", "caf\u00e9 \"quoted\"\n"));

    static final String EXAMPLE_CANONICAL =
            "{\"action\":\"user.login\",\"actor\":{\"subject\":\"alice\",\"type\":\"user\"},"
                    + "\"details\":{\"note\":\"caf\u00e9 \\\"quoted\\\"\\n\"},\"eventId\":\"5d0c3c2e-8f0a-4b7e-9d59-3c8a3f0c2b11\","
                    + "\"occurredAt\":\"2026-11-24T09:15:02.123456Z\",\"outcome\":\"success\",\"requestId\":\"req-1\",\"seq\":1,"
                    + "\"source\":\"/spalce/auth-gateway\",\"target\":{\"id\":\"7b1d54f2a9c04e5f\",\"type\":\"session\"},"
                    + "\"workspaceId\":\"ws-7f3c\"}";

    @Test
    void canonicalForm_ofTheDocumentedExample_isExactlyTheDocumentedBytes() {
        assertThat(new String(CanonicalJson.of(EXAMPLE), StandardCharsets.UTF_8))
                .isEqualTo(EXAMPLE_CANONICAL);
    }

    @Test
    void link_ofTheDocumentedExample_isSha256OfGenesisAndCanonicalForm() throws Exception {
        var sha256 = java.security.MessageDigest.getInstance("SHA-256");
        sha256.update(new byte[32]);
        byte[] expected = sha256.digest(EXAMPLE_CANONICAL.getBytes(StandardCharsets.UTF_8));

        assertThat(HashChain.link(ChainHash.GENESIS, EXAMPLE)).isEqualTo(ChainHash.of(expected));
    }

    @Test
    void canonicalForm_escapesControlCharactersAndKeepsOtherCharactersLiteral() {
        AuditRecord record = new AuditRecord(
                "w", 2, "e", Instant.EPOCH, "s", "a", "user", "b\u0001\\", "t", "i", "success", null, null, Map.of());

        String canonical = new String(CanonicalJson.of(record), StandardCharsets.UTF_8);

        assertThat(canonical)
                .contains("\"subject\":\"b\\u0001\\\\\"")
                .doesNotContain("requestId")
                .doesNotContain("sourceAddress")
                .contains("\"occurredAt\":\"1970-01-01T00:00:00.000000Z\"");
    }

    @Test
    void link_differsWhenAnyMemberOrThePreviousHashDiffers() {
        ChainHash base = HashChain.link(ChainHash.GENESIS, EXAMPLE);
        AuditRecord otherActor = new AuditRecord(
                "ws-7f3c",
                1,
                EXAMPLE.eventId(),
                EXAMPLE.occurredAt(),
                EXAMPLE.source(),
                EXAMPLE.action(),
                "user",
                "mallory",
                "session",
                EXAMPLE.targetId(),
                "success",
                "req-1",
                null,
                EXAMPLE.details());

        assertThat(HashChain.link(ChainHash.GENESIS, otherActor)).isNotEqualTo(base);
        assertThat(HashChain.link(base, EXAMPLE)).isNotEqualTo(base);
    }
}
