package dev.spalce.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.spalce.testsupport.OidcTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A request fuzzer over the gateway's public API as docs/openapi.yaml describes it, against the running suite: every
 * operation gets malformed path segments, malformed bodies and content types, and methods it does not take, as
 * the Owner of a real workspace (so that each request passes authorization and reaches the code that parses it).
 * None may answer 500 (or any 5xx: the suite is healthy), and every refusal must be a problem+json document with
 * no stack trace or internal class name in it.
 */
class GatewayApiFuzzIT extends AgainstRunningSuite {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    /** Malformed values for a path segment (raw, as sent on the wire). */
    private static final List<String> SEGMENTS = List.of(
            "not-an-id",
            "00000000-0000-0000-0000-000000000000",
            UUID.randomUUID().toString().toUpperCase(),
            "%00",
            "%2e%2e",
            "%F0%28%8C%28",
            "%E2%80%AE",
            "-1",
            "99999999999999999999999",
            "'%20OR%201=1--",
            "a".repeat(3000));

    /** Malformed bodies (bytes) with the content type they are sent as. */
    private static final List<Map.Entry<String, byte[]>> BODIES = List.of(
            Map.entry("application/json", new byte[0]),
            Map.entry("application/json", bytes("{")),
            Map.entry("application/json", bytes("{\"name\": ")),
            Map.entry("application/json", bytes("[]")),
            Map.entry("application/json", bytes("null")),
            Map.entry("application/json", bytes("\"text\"")),
            Map.entry("application/json", bytes("{\"name\": 12, \"role\": [], \"email\": {}, \"provider\": true}")),
            Map.entry("application/json", bytes("{\"name\": \"\\u0000\", \"email\": \"\\ud800\"}")),
            Map.entry("application/json", bytes("{\"targetKmsKeyId\": \"" + "x".repeat(70_000) + "\"}")),
            Map.entry("application/json", bytes("{\"n\": 1e999999999, \"m\": -0.0e-99999}")),
            Map.entry("application/json", bytes("[".repeat(20_000) + "]".repeat(20_000))),
            Map.entry(
                    "application/json", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}),
            Map.entry("application/json; charset=latin-7", bytes("{}")),
            Map.entry("text/plain", bytes("hello")),
            Map.entry("multipart/form-data; boundary=x", bytes("--x\r\nbroken")),
            Map.entry("garbage", bytes("{}")));

    private static final Pattern LEAK = Pattern.compile(
            "Exception|\\tat |\\bat (dev\\.spalce|io\\.vertx|io\\.quarkus|org\\.hibernate|java\\.)|/internal/v1/");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyOperation_withMalformedInput_answersATypedProblem_neverA5xxOrAStackTrace() throws Exception {
        String owner = OidcTokens.user("fuzz-owner-" + UUID.randomUUID());
        String workspace = createWorkspace(owner, "Fuzzed");
        JsonNode paths = new YAMLMapper()
                .readTree(Path.of("..", "docs", "openapi.yaml").toFile())
                .path("paths");
        List<String> findings = new ArrayList<>();
        int requests = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String template = entry.getKey();
            Set<String> declared = new java.util.HashSet<>();
            entry.getValue().fieldNames().forEachRemaining(declared::add);
            for (String method : METHODS) {
                for (String path : pathsFor(template, workspace)) {
                    if (declared.contains(method) && (method.equals("post") || method.equals("put"))) {
                        for (Map.Entry<String, byte[]> body : BODIES) {
                            requests++;
                            check(findings, owner, method, path, body.getKey(), body.getValue());
                        }
                    } else {
                        requests++;
                        check(findings, owner, method, path, null, null);
                    }
                }
            }
        }

        assertThat(requests).as("requests sent").isGreaterThan(1000);
        assertThat(findings)
                .as("answers that were a 5xx or leaked internals, of " + requests)
                .isEmpty();
    }

    /** The template with its workspace filled in, then with each parameter in turn malformed. */
    private static List<String> pathsFor(String template, String workspace) {
        List<String> paths = new ArrayList<>();
        String valid = template.replace("{workspace}", workspace)
                .replaceAll("\\{(id|job)\\}", UUID.randomUUID().toString())
                .replace("{version}", "1")
                .replace("{subject}", "someone");
        paths.add(valid);
        for (String parameter : List.of("{workspace}", "{id}", "{job}", "{version}", "{subject}")) {
            if (!template.contains(parameter)) {
                continue;
            }
            for (String segment : SEGMENTS) {
                String malformed = template.replace(parameter, segment);
                paths.add(malformed
                        .replace("{workspace}", workspace)
                        .replaceAll("\\{(id|job)\\}", UUID.randomUUID().toString())
                        .replace("{version}", "1")
                        .replace("{subject}", "someone"));
            }
        }
        return paths;
    }

    private void check(List<String> findings, String token, String method, String path, String type, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(
                        method.toUpperCase(),
                        body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
        if (type != null) {
            request.header("Content-Type", type);
        }
        HttpResponse<String> response = http.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
        String answer = response.body();
        String what = method.toUpperCase() + " " + shorten(path)
                + (type == null ? "" : " [" + type + "] " + shorten(new String(body, StandardCharsets.UTF_8)));
        if (response.statusCode() >= 500) {
            findings.add(what + " -> " + response.statusCode() + " " + shorten(answer));
        } else if (LEAK.matcher(answer).find()) {
            findings.add(what + " -> leaks: " + shorten(answer));
        } else if (response.statusCode() >= 400
                && !answer.isEmpty()
                && !response.headers().firstValue("Content-Type").orElse("").contains("problem+json")) {
            findings.add(what + " -> " + response.statusCode() + " not problem+json: " + shorten(answer));
        }
    }

    private static String shorten(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
