package dev.spalce.auditchain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON Lines export of a workspace's audit log: a header line, then each entry in chain order, each
 * checkpoint on the line right after the entry it covers. Every line is one JSON object with a {@code type}.
 * The lines carry everything needed to re-check the chain and the signatures; docs/audit-log.md specifies
 * them.
 */
public final class AuditExport {

    public static final String FORMAT = "spalce-audit-export";
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditExport() {}

    /** One parsed line. */
    public sealed interface Line permits Header, EntryLine, CheckpointLine {}

    /** @param workspaceId whose log this is @param exportedAt when the export was made */
    public record Header(String workspaceId, Instant exportedAt) implements Line {}

    public record EntryLine(ChainEntry entry) implements Line {}

    public record CheckpointLine(Checkpoint checkpoint) implements Line {}

    public static String headerLine(String workspaceId, Instant exportedAt) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "header");
        line.put("format", FORMAT);
        line.put("version", VERSION);
        line.put("workspaceId", workspaceId);
        line.put("exportedAt", CanonicalJson.time(exportedAt));
        return write(line);
    }

    public static String entryLine(ChainEntry entry) {
        AuditRecord r = entry.record();
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "entry");
        line.put("workspaceId", r.workspaceId());
        line.put("seq", r.seq());
        line.put("eventId", r.eventId());
        line.put("occurredAt", CanonicalJson.time(r.occurredAt()));
        line.put("source", r.source());
        line.put("action", r.action());
        line.putObject("actor").put("type", r.actorType()).put("subject", r.actorSubject());
        line.putObject("target").put("type", r.targetType()).put("id", r.targetId());
        line.put("outcome", r.outcome());
        if (r.requestId() != null) {
            line.put("requestId", r.requestId());
        }
        if (r.sourceAddress() != null) {
            line.put("sourceAddress", r.sourceAddress());
        }
        ObjectNode details = line.putObject("details");
        r.details().forEach(details::put);
        line.put("prevHash", entry.prevHash().hex());
        line.put("entryHash", entry.entryHash().hex());
        return write(line);
    }

    public static String checkpointLine(Checkpoint checkpoint) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "checkpoint");
        line.put("workspaceId", checkpoint.workspaceId());
        line.put("seq", checkpoint.seq());
        line.put("entryHash", checkpoint.entryHash().hex());
        line.put("signedAt", CanonicalJson.time(checkpoint.signedAt()));
        line.put("keyId", checkpoint.keyId());
        line.put("publicKey", Base64.getEncoder().encodeToString(checkpoint.publicKey()));
        line.put("signature", Base64.getEncoder().encodeToString(checkpoint.signature()));
        return write(line);
    }

    /**
     * Parses one line.
     *
     * @throws ExportFormatException if it is not a line of this format
     */
    public static Line parse(String text) {
        JsonNode line;
        try {
            line = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ExportFormatException("not JSON");
        }
        if (line == null || !line.isObject()) {
            throw new ExportFormatException("not a JSON object");
        }
        try {
            return switch (text(line, "type")) {
                case "header" -> header(line);
                case "entry" -> new EntryLine(entry(line));
                case "checkpoint" -> new CheckpointLine(checkpoint(line));
                default -> throw new ExportFormatException("unknown line type '" + text(line, "type") + "'");
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ExportFormatException("invalid value: " + e.getMessage());
        }
    }

    /**
     * Parses an anchored checkpoint: a checkpoint line as the export writes it (what the anchor bucket holds),
     * or an {@code audit.checkpoint} CloudEvent from the checkpoints topic, whose data is such a line.
     *
     * @throws ExportFormatException if it is neither
     */
    public static Checkpoint parseAnchor(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ExportFormatException("not JSON");
        }
        if (node != null && node.has("specversion") && node.path("data").isObject()) {
            node = node.get("data");
        }
        if (node == null
                || !node.isObject()
                || (node.has("type") && !"checkpoint".equals(node.path("type").asText()))) {
            throw new ExportFormatException("not a checkpoint");
        }
        try {
            return checkpoint(node);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ExportFormatException("invalid value: " + e.getMessage());
        }
    }

    private static Header header(JsonNode line) {
        if (!FORMAT.equals(text(line, "format")) || line.path("version").asInt() != VERSION) {
            throw new ExportFormatException("not a " + FORMAT + " version " + VERSION + " file");
        }
        return new Header(text(line, "workspaceId"), Instant.parse(text(line, "exportedAt")));
    }

    private static ChainEntry entry(JsonNode line) {
        Map<String, String> details = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = line.path("details").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            details.put(field.getKey(), field.getValue().asText());
        }
        AuditRecord record = new AuditRecord(
                text(line, "workspaceId"),
                number(line, "seq"),
                text(line, "eventId"),
                Instant.parse(text(line, "occurredAt")),
                text(line, "source"),
                text(line, "action"),
                text(line.path("actor"), "type"),
                text(line.path("actor"), "subject"),
                text(line.path("target"), "type"),
                text(line.path("target"), "id"),
                text(line, "outcome"),
                optionalText(line, "requestId"),
                optionalText(line, "sourceAddress"),
                details);
        return new ChainEntry(
                record, ChainHash.fromHex(text(line, "prevHash")), ChainHash.fromHex(text(line, "entryHash")));
    }

    private static Checkpoint checkpoint(JsonNode line) {
        return new Checkpoint(
                text(line, "workspaceId"),
                number(line, "seq"),
                ChainHash.fromHex(text(line, "entryHash")),
                Instant.parse(text(line, "signedAt")),
                Base64.getDecoder().decode(text(line, "publicKey")),
                Base64.getDecoder().decode(text(line, "signature")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new ExportFormatException("member '" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : text(node, field);
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new ExportFormatException("member '" + field + "' is missing or not an integer");
        }
        return value.asLong();
    }

    private static String write(ObjectNode line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** A line that is not part of this format. */
    public static final class ExportFormatException extends RuntimeException {
        public ExportFormatException(String reason) {
            super(reason);
        }
    }
}
