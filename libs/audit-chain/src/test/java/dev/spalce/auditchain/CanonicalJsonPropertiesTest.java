package dev.spalce.auditchain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The canonical JSON that the hash chain covers, over generated records (jqwik): it is JSON that reads back to
 * exactly the record (so two different records never share a canonical form, nor a chain link), with its keys
 * sorted at every level, whatever characters the values hold.
 */
class CanonicalJsonPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Provide
    Arbitrary<AuditRecord> records() {
        Arbitrary<String> text = Arbitraries.strings()
                .all()
                .ofMaxLength(20)
                .filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
        Arbitrary<Instant> times = Arbitraries.longs()
                .between(0, 4_102_444_800_000_000L)
                .map(micros -> Instant.EPOCH.plusNanos(micros * 1000));
        return Builders.withBuilder(() -> new Object[14])
                .use(text)
                .in((a, v) -> {
                    a[0] = v;
                    return a;
                })
                .use(Arbitraries.longs().between(1, Long.MAX_VALUE))
                .in((a, v) -> {
                    a[1] = v;
                    return a;
                })
                .use(text)
                .in((a, v) -> {
                    a[2] = v;
                    return a;
                })
                .use(times)
                .in((a, v) -> {
                    a[3] = v;
                    return a;
                })
                .use(text)
                .in((a, v) -> {
                    a[4] = v;
                    return a;
                })
                .use(text)
                .in((a, v) -> {
                    a[5] = v;
                    return a;
                })
                .use(text)
                .in((a, v) -> {
                    a[6] = v;
                    return a;
                })
                .use(text)
                .in((a, v) -> {
                    a[7] = v;
                    return a;
                })
                .use(text)
                .in((a, v) -> {
                    a[8] = v;
                    return a;
                })
                .use(text)
                .in((a, v) -> {
                    a[9] = v;
                    return a;
                })
                .use(text)
                .in((a, v) -> {
                    a[10] = v;
                    return a;
                })
                .use(text.injectNull(0.3))
                .in((a, v) -> {
                    a[11] = v;
                    return a;
                })
                .use(text.injectNull(0.3))
                .in((a, v) -> {
                    a[12] = v;
                    return a;
                })
                .use(Arbitraries.maps(text, text).ofMaxSize(4))
                .in((a, v) -> {
                    a[13] = v;
                    return a;
                })
                .build(a -> new AuditRecord(
                        (String) a[0],
                        (Long) a[1],
                        (String) a[2],
                        (Instant) a[3],
                        (String) a[4],
                        (String) a[5],
                        (String) a[6],
                        (String) a[7],
                        (String) a[8],
                        (String) a[9],
                        (String) a[10],
                        (String) a[11],
                        (String) a[12],
                        castMap(a[13])));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> castMap(Object map) {
        return (Map<String, String>) map;
    }

    @Property(tries = 500)
    void canonicalForm_readsBackToTheRecord(@ForAll("records") AuditRecord record) throws Exception {
        JsonNode read = JSON.readTree(new String(CanonicalJson.of(record), StandardCharsets.UTF_8));

        assertThat(read.get("workspaceId").asText()).isEqualTo(record.workspaceId());
        assertThat(read.get("seq").asLong()).isEqualTo(record.seq());
        assertThat(read.get("eventId").asText()).isEqualTo(record.eventId());
        assertThat(Instant.parse(read.get("occurredAt").asText())).isEqualTo(record.occurredAt());
        assertThat(read.get("source").asText()).isEqualTo(record.source());
        assertThat(read.get("action").asText()).isEqualTo(record.action());
        assertThat(read.get("actor").get("type").asText()).isEqualTo(record.actorType());
        assertThat(read.get("actor").get("subject").asText()).isEqualTo(record.actorSubject());
        assertThat(read.get("target").get("type").asText()).isEqualTo(record.targetType());
        assertThat(read.get("target").get("id").asText()).isEqualTo(record.targetId());
        assertThat(read.get("outcome").asText()).isEqualTo(record.outcome());
        assertThat(read.has("requestId") ? read.get("requestId").asText() : null)
                .isEqualTo(record.requestId());
        assertThat(read.has("sourceAddress") ? read.get("sourceAddress").asText() : null)
                .isEqualTo(record.sourceAddress());
        Map<String, String> details = new java.util.TreeMap<>();
        read.get("details")
                .fields()
                .forEachRemaining(e -> details.put(e.getKey(), e.getValue().asText()));
        assertThat(details).isEqualTo(record.details());
        assertSorted(read);
    }

    @Property(tries = 300)
    void twoDifferentRecords_neverShareACanonicalForm(
            @ForAll("records") AuditRecord a, @ForAll("records") AuditRecord b) {
        Assume.that(!a.equals(b));
        assertThat(CanonicalJson.of(a)).isNotEqualTo(CanonicalJson.of(b));
    }

    private static void assertSorted(JsonNode node) {
        if (!node.isObject()) {
            return;
        }
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        assertThat(names).isSorted();
        node.elements().forEachRemaining(CanonicalJsonPropertiesTest::assertSorted);
    }
}
