package dev.spalce.deploy.checks.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a kustomization with {@code kubectl kustomize} (no cluster involved) and parses the YAML. */
public final class Kustomize {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("Kustomize Version: v(\\d+)\\.");

    private Kustomize() {}

    /** The documents of {@code kubectl kustomize <directory>}. */
    public static List<ObjectNode> render(Path directory) {
        requireKubectl();
        return parse(run(List.of("kubectl", "kustomize", directory.toString()), 120));
    }

    /** Parses a multi-document YAML stream; empty documents are skipped. */
    public static List<ObjectNode> parse(String yaml) {
        List<ObjectNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document instanceof ObjectNode object) {
                    documents.add(object);
                } else if (document != null && !document.isNull() && !document.isMissingNode()) {
                    throw new IllegalStateException("a document that is not a mapping: " + document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /**
     * Fails with a clear message when kubectl is missing or its kustomize is older than v5 (the overlays use
     * replacements and JSON 6902 patches by target). Debian's own kubernetes-client package (kubectl 1.20,
     * kustomize v2) is too old.
     */
    public static void requireKubectl() {
        String version;
        try {
            version = run(List.of("kubectl", "version", "--client"), 60);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "kubectl is not installed (or did not run): these checks render the"
                            + " Kubernetes overlays with `kubectl kustomize`. Install the Debian package `kubectl` (from"
                            + " the Kubernetes apt repository, pkgs.k8s.io, or Google Cloud's; it embeds kustomize v5)."
                            + " Debian's own `kubernetes-client` is too old. Cause: " + e.getMessage(),
                    e);
        }
        Matcher matcher = KUSTOMIZE_VERSION.matcher(version);
        if (!matcher.find() || Integer.parseInt(matcher.group(1)) < 5) {
            throw new IllegalStateException("kubectl's kustomize must be v5 or later; `kubectl version --client`"
                    + " says: " + version.strip());
        }
    }

    private static String run(List<String> command, int timeoutSeconds) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(false).start();
            process.getOutputStream().close();
            byte[][] output = new byte[2][];
            Thread stderr = new Thread(() -> output[1] = readAll(process.getErrorStream()));
            stderr.start();
            output[0] = readAll(process.getInputStream());
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish in " + timeoutSeconds + "s");
            }
            stderr.join();
            String out = new String(output[0], StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + new String(output[1], StandardCharsets.UTF_8).strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static byte[] readAll(InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
