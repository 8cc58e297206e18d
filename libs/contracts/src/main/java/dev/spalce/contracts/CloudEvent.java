package dev.spalce.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event as Spalce puts it on Kafka (structured JSON mode, {@code specversion} "1.0",
 * {@code datacontenttype} "application/json"). The {@code workspaceid} extension attribute names the workspace
 * the event belongs to and is also the Kafka record key; platform-level events use {@link #PLATFORM_WORKSPACE}.
 *
 * @param id unique per event; consumers de-duplicate on it
 * @param source the producing service, e.g. {@code /spalce/auth-gateway}
 * @param type what happened, e.g. {@code user.login}, {@code cmk.rotated}
 * @param time when it happened, at the producer
 * @param workspaceId the workspace (tenant) the event belongs to
 * @param data the type-specific payload
 */
public record CloudEvent(String id, String source, String type, Instant time, String workspaceId, JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";
    public static final String DATA_CONTENT_TYPE = "application/json";

    /** The workspace id of events that belong to no workspace, such as a sign-in. */
    public static final String PLATFORM_WORKSPACE = "platform";

    public CloudEvent {
        requireText(id, "id");
        requireText(source, "source");
        requireText(type, "type");
        Objects.requireNonNull(time, "time");
        requireText(workspaceId, "workspaceid");
        Objects.requireNonNull(data, "data");
    }

    /** A new event with a random id, stamped now. */
    public static CloudEvent create(String source, String type, String workspaceId, JsonNode data) {
        return new CloudEvent(UUID.randomUUID().toString(), source, type, Instant.now(), workspaceId, data);
    }

    private static void requireText(String value, String attribute) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException("attribute '" + attribute + "' is missing or empty");
        }
    }
}
