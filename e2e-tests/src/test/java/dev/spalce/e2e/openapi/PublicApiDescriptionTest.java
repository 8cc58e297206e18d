package dev.spalce.e2e.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.spalce.contracts.access.Service;
import dev.spalce.contracts.access.WorkspaceResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml is the gateway's public API as the code defines it: the gateway's own endpoints ({@code /api/v1}
 * and {@code /.well-known}) and, under {@code /api/v1/workspaces/{workspace}/<resource>}, each routed resource's
 * operations as the internal service that serves it describes them (the gateway forwards the path unchanged below
 * the workspace, {@link WorkspaceResource}). Every service writes its description at build
 * ({@code target/openapi/openapi.yaml}); this test assembles them and fails when the committed document differs.
 * Regenerate it with {@code ./mvnw -pl e2e-tests test -Dtest=PublicApiDescriptionTest -Dspalce.openapi.write=true}.
 */
class PublicApiDescriptionTest {

    private static final Path ROOT =
            Path.of(System.getProperty("basedir", "."), "..").normalize();
    private static final Path DOCUMENT = ROOT.resolve("docs/openapi.yaml");
    private static final Map<Service, String> MODULES = Map.of(
            Service.EVIDENCE,
            "evidence-service",
            Service.CRYPTO,
            "crypto-service",
            Service.REWRAP,
            "rewrap-worker",
            Service.AUDIT,
            "audit-log-service");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    @Test
    void committedDescription_isTheOneTheCodeDefines() throws IOException {
        String assembled = YAML.writeValueAsString(assemble());

        if (Boolean.getBoolean("spalce.openapi.write")) {
            Files.writeString(DOCUMENT, assembled);
        }
        assertThat(DOCUMENT)
                .as("docs/openapi.yaml (regenerate: see this test's javadoc)")
                .exists();
        assertThat(Files.readString(DOCUMENT))
                .as("docs/openapi.yaml against the code (regenerate: see this test's" + " javadoc)")
                .isEqualTo(assembled);
    }

    @Test
    void everyPublicOperation_listsItsProblems() throws IOException {
        JsonNode document = assemble();

        List<String> withoutProblems = new ArrayList<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    JsonNode responses = operation.getValue().path("responses");
                    if (!responses.has("401") || !responses.has("403") || !responses.has("503")) {
                        withoutProblems.add(operation.getKey() + " " + path.getKey());
                    }
                }));
        assertThat(document.path("paths").size()).isGreaterThan(20);
        assertThat(withoutProblems).isEmpty();
        assertThat(document.at("/components/schemas/Problem/properties/type/format")
                        .asText())
                .isEqualTo("uri");
        // What only some operations answer, by reference to the named responses.
        JsonNode upload = document.path("paths")
                .path("/api/v1/workspaces/{workspace}/evidence")
                .path("post");
        assertThat(upload.at("/responses/413/$ref").asText()).endsWith("/PayloadTooLarge");
        assertThat(upload.at("/responses/415/$ref").asText()).endsWith("/UnsupportedContent");
        assertThat(document.at("/components/responses/PayloadTooLarge/content").has("application/problem+json"))
                .isTrue();
    }

    private static ObjectNode assemble() throws IOException {
        JsonNode gateway = read("auth-gateway");
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("openapi", gateway.path("openapi").asText());
        ObjectNode info = document.putObject("info");
        info.put("title", "Spalce public API");
        info.put("version", "v1");
        info.put(
                "description",
                "Everything a client reaches through auth-gateway, the only public entry. Generated"
                        + " from the services' code; errors are application/problem+json (RFC 9457).");
        Map<String, JsonNode> paths = new TreeMap<>();
        Map<String, JsonNode> schemas = new TreeMap<>();
        Map<String, JsonNode> responses = new TreeMap<>();
        gateway.path("paths").properties().forEach(path -> {
            if (path.getKey().startsWith("/api/") || path.getKey().startsWith("/.well-known/")) {
                paths.put(path.getKey(), path.getValue());
            }
        });
        gateway.path("components").path("schemas").properties().forEach(s -> schemas.put(s.getKey(), s.getValue()));
        gateway.path("components").path("responses").properties().forEach(r -> responses.put(r.getKey(), r.getValue()));
        for (Map.Entry<Service, String> module : new TreeMap<>(MODULES).entrySet()) {
            JsonNode described = read(module.getValue());
            Map<String, String> renames = new HashMap<>();
            described.path("components").path("schemas").properties().forEach(s -> {
                JsonNode known = schemas.get(s.getKey());
                if (known != null && !known.equals(s.getValue())) {
                    renames.put(s.getKey(), module.getValue().replace("-", "_") + "_" + s.getKey());
                }
            });
            described = renameRefs(described, renames);
            described
                    .path("components")
                    .path("schemas")
                    .properties()
                    .forEach(s -> schemas.put(renames.getOrDefault(s.getKey(), s.getKey()), s.getValue()));
            // The named problem responses are the same in every service (the service kit defines them).
            described
                    .path("components")
                    .path("responses")
                    .properties()
                    .forEach(r -> responses.put(r.getKey(), r.getValue()));
            for (WorkspaceResource resource : WorkspaceResource.values()) {
                if (resource.service() != module.getKey()) {
                    continue;
                }
                String internal = "/internal/v1/workspaces/{workspace}/" + resource.segment();
                described.path("paths").properties().forEach(path -> {
                    String name = path.getKey();
                    if (name.equals(internal) || name.startsWith(internal + "/")) {
                        paths.put("/api/v1/" + name.substring("/internal/v1/".length()), path.getValue());
                    }
                });
            }
        }
        ObjectNode pathsNode = document.putObject("paths");
        paths.forEach(pathsNode::set);
        ObjectNode components = document.putObject("components");
        ObjectNode schemasNode = components.putObject("schemas");
        schemas.forEach(schemasNode::set);
        ObjectNode responsesNode = components.putObject("responses");
        responses.forEach(responsesNode::set);
        return document;
    }

    private static JsonNode read(String module) throws IOException {
        Path file = ROOT.resolve(module).resolve("target/openapi/openapi.yaml");
        assertThat(file)
                .as("%s's description, written when the module is built", module)
                .exists();
        return YAML.readTree(file.toFile());
    }

    /** {@code node} with every {@code $ref} to a renamed schema pointing at its new name. */
    private static JsonNode renameRefs(JsonNode node, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return node;
        }
        JsonNode copy = node.deepCopy();
        rename(copy, renames);
        return copy;
    }

    private static void rename(JsonNode node, Map<String, String> renames) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
                String name = ref.asText().substring("#/components/schemas/".length());
                if (renames.containsKey(name)) {
                    object.set("$ref", TextNode.valueOf("#/components/schemas/" + renames.get(name)));
                }
            }
            object.elements().forEachRemaining(child -> rename(child, renames));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> rename(child, renames));
        }
    }
}
