package dev.spalce.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads and writes {@link CloudEvent}s in CloudEvents structured JSON mode, and converts payloads to and from
 * their typed records. It owns its {@link ObjectMapper} so that the wire format does not change with a
 * service's Jackson customisation. Thread-safe.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventCodec() {}

    /** The event as one line of structured-mode JSON. */
    public static String encode(CloudEvent event) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("specversion", CloudEvent.SPEC_VERSION);
        json.put("id", event.id());
        json.put("source", event.source());
        json.put("type", event.type());
        json.put("time", event.time().toString());
        json.put("datacontenttype", CloudEvent.DATA_CONTENT_TYPE);
        json.put("workspaceid", event.workspaceId());
        json.set("data", event.data());
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a CloudEvent tree always serialises", e);
        }
    }

    /**
     * Parses structured-mode JSON.
     *
     * @throws InvalidEventException if it is not JSON, not CloudEvents 1.0, or misses a required attribute
     */
    public static CloudEvent decode(String json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the offending token, which may be anything the producer sent: keep
            // only the position.
            var at = e.getLocation();
            throw new InvalidEventException(
                    at == null
                            ? "not JSON"
                            : "not JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidEventException("not a JSON object");
        }
        if (!CloudEvent.SPEC_VERSION.equals(text(tree, "specversion"))) {
            throw new InvalidEventException("specversion must be " + CloudEvent.SPEC_VERSION);
        }
        String contentType = text(tree, "datacontenttype");
        if (contentType != null && !contentType.equals(CloudEvent.DATA_CONTENT_TYPE)) {
            throw new InvalidEventException("datacontenttype must be " + CloudEvent.DATA_CONTENT_TYPE);
        }
        JsonNode data = tree.get("data");
        if (data == null || !data.isObject()) {
            throw new InvalidEventException("attribute 'data' must be a JSON object");
        }
        return new CloudEvent(
                text(tree, "id"),
                text(tree, "source"),
                text(tree, "type"),
                time(tree),
                text(tree, "workspaceid"),
                data);
    }

    /** The payload as JSON, for {@link CloudEvent#data()}. */
    public static JsonNode toData(Object payload) {
        return MAPPER.valueToTree(payload);
    }

    /**
     * The payload as its typed record.
     *
     * @throws InvalidEventException if the payload does not fit the type
     */
    public static <T> T data(CloudEvent event, Class<T> type) {
        try {
            return MAPPER.treeToValue(event.data(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("data of a '" + event.type() + "' event does not match "
                    + type.getSimpleName() + ": " + rootMessage(e));
        }
    }

    private static String text(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Instant time(JsonNode tree) {
        String value = text(tree, "time");
        if (value == null) {
            throw new InvalidEventException("attribute 'time' is missing");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("attribute 'time' is not an RFC 3339 timestamp");
        }
    }

    /** Our own validation messages are safe to repeat; Jackson's quote values, so only their path is kept. */
    private static String rootMessage(Exception e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof IllegalArgumentException || root instanceof NullPointerException) {
            return root.getMessage();
        }
        return e instanceof JsonMappingException mapping ? "bad value at " + mapping.getPathReference() : "bad value";
    }
}
