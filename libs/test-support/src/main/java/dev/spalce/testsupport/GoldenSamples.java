package dev.spalce.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The golden samples of the contracts module ({@code dev/spalce/contracts/golden/<topic or api>/<name>.json}): one
 * per event and per body of an internal HTTP API, read by both the producer's and the consumer's tests so that
 * both sides are held to the same message. The producer's test asserts that it writes the sample (JSON-equal, for a
 * fixed input), the consumer's that it reads it.
 */
public final class GoldenSamples {

    private GoldenSamples() {}

    /** The sample's JSON, e.g. {@code load("audit/user.login")} or {@code load("data-keys/mint.response")}. */
    public static String load(String name) {
        String resource = "/dev/spalce/contracts/golden/" + name + ".json";
        try (InputStream in = GoldenSamples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden sample " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample with its event id replaced, so that a test can send it without colliding with other runs. */
    public static String withId(String name, String eventId) {
        return withAttributes(name, Map.of("id", eventId));
    }

    /**
     * The sample with top-level string attributes replaced (e.g. {@code id}, {@code workspaceid}), so that a
     * test can send it into a workspace of its own.
     */
    public static String withAttributes(String name, Map<String, String> attributes) {
        String json = load(name);
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            Matcher existing = Pattern.compile("\\n  \"" + Pattern.quote(attribute.getKey()) + "\"\\s*:\\s*\"[^\"]*\"")
                    .matcher(json);
            if (!existing.find()) {
                throw new IllegalArgumentException(name + " has no top-level attribute '" + attribute.getKey() + "'");
            }
            json = existing.replaceFirst(
                    Matcher.quoteReplacement("\n  \"" + attribute.getKey() + "\": \"" + attribute.getValue() + "\""));
        }
        return json;
    }
}
