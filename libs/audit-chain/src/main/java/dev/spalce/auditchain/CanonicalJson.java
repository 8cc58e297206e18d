package dev.spalce.auditchain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical serialization that hashes and signatures are computed over: a JSON object with its members
 * sorted by name (UTF-16 code units, as RFC 8785 JSON Canonicalization Scheme sorts them), no insignificant
 * whitespace, strings escaped as RFC 8785 prescribes (only {@code "}, {@code \} and control characters; every
 * other character literally, in UTF-8), absent optional members omitted, integers in plain decimal, and
 * times as {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ}. docs/audit-log.md specifies it with an example.
 */
final class CanonicalJson {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private CanonicalJson() {}

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    static byte[] of(AuditRecord record) {
        Map<String, Object> actor = new TreeMap<>(Map.of("subject", record.actorSubject(), "type", record.actorType()));
        Map<String, Object> target = new TreeMap<>(Map.of("id", record.targetId(), "type", record.targetType()));
        Map<String, Object> members = new TreeMap<>();
        members.put("action", record.action());
        members.put("actor", actor);
        members.put("details", new TreeMap<>(record.details()));
        members.put("eventId", record.eventId());
        members.put("occurredAt", time(record.occurredAt()));
        members.put("outcome", record.outcome());
        if (record.requestId() != null) {
            members.put("requestId", record.requestId());
        }
        members.put("seq", record.seq());
        members.put("source", record.source());
        if (record.sourceAddress() != null) {
            members.put("sourceAddress", record.sourceAddress());
        }
        members.put("target", target);
        members.put("workspaceId", record.workspaceId());
        return write(members);
    }

    static byte[] write(Map<String, Object> sortedMembers) {
        StringBuilder out = new StringBuilder(512);
        object(out, sortedMembers);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void object(StringBuilder out, Map<String, Object> members) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> member : members.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, member.getKey());
            out.append(':');
            value(out, member.getValue());
        }
        out.append('}');
    }

    @SuppressWarnings("unchecked")
    private static void value(StringBuilder out, Object value) {
        if (value instanceof String text) {
            string(out, text);
        } else if (value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            object(out, (Map<String, Object>) map);
        } else {
            throw new IllegalArgumentException("not part of the canonical form: " + value.getClass());
        }
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
