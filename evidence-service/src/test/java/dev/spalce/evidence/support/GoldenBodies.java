package dev.spalce.evidence.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.evidence.datakey.model.WrappedKeyRow;
import dev.spalce.testsupport.GoldenSamples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The fixed input behind the golden bodies of the data-key and rewrap support APIs (libs/contracts): their key
 * versions, records and stand-in wrapped keys, and JSON as the service writes it. Its configuration adds nothing
 * to these bodies (no dates), so a plain mapper writes what the service writes.
 */
public final class GoldenBodies {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String V1 = "local:cmk-2d9a4e7c-81b0-4f5e-a3c6-0e9f1b7d5c24#v1";
    public static final String V2 = "local:cmk-2d9a4e7c-81b0-4f5e-a3c6-0e9f1b7d5c24#v2";
    public static final String R1 = "3f2b8c1e-5a47-4d2e-9b0c-6e1f7a8d9c01";
    public static final String R2 = "8a6d0f3b-1c29-4e8a-b7d5-2f4e6c8a0b12";
    public static final String R3 = "c41e7d2a-9f36-4b58-8e0d-5a7c3b9f1e23";

    private GoldenBodies() {}

    /** The samples' stored row of {@code recordId}: its DEK wrapped under {@link #V1}. */
    public static WrappedKeyRow row(String recordType, String recordId) {
        return new WrappedKeyRow(
                recordType, UUID.fromString(recordId), V1, wrapped(1, recordId).getBytes(StandardCharsets.US_ASCII));
    }

    /** The samples' stand-in for the DEK of {@code recordId} wrapped under version {@code version}. */
    public static String wrapped(int version, String recordId) {
        return "wrapped-under-v" + version + ":" + recordId.substring(0, 8);
    }

    public static JsonNode json(Object body) throws IOException {
        return JSON.readTree(JSON.writeValueAsString(body));
    }

    public static JsonNode golden(String name) throws IOException {
        return JSON.readTree(GoldenSamples.load(name));
    }

    public static <T> T read(String name, Class<T> type) throws IOException {
        return JSON.readValue(GoldenSamples.load(name), type);
    }
}
