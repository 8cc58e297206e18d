package dev.spalce.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image tarball in the OCI layout (index.json, blobs/sha256/...), read the way a container runtime reads
 * it: the index names the manifest, the manifest the configuration and the layers in order.
 */
final class OciArchive {

    /** One file, directory or link in one layer, as the runtime will create it. */
    record Entry(String layer, String path, int mode, long uid, long gid, boolean directory, boolean link) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path unpacked;
    private final JsonNode config;
    private final String reference;
    private final List<Path> layers = new ArrayList<>();
    private final List<String> layerNames = new ArrayList<>();

    private OciArchive(Path unpacked) throws IOException {
        this.unpacked = unpacked;
        JsonNode index = JSON.readTree(unpacked.resolve("index.json").toFile());
        JsonNode entry = index.path("manifests").path(0);
        this.reference = entry.path("annotations")
                .path("org.opencontainers.image.ref.name")
                .asText();
        JsonNode manifest = JSON.readTree(blob(entry.path("digest").asText()).toFile());
        JsonNode imageConfig = JSON.readTree(
                blob(manifest.path("config").path("digest").asText()).toFile());
        this.config = imageConfig.path("config");
        for (JsonNode layer : manifest.path("layers")) {
            layers.add(blob(layer.path("digest").asText()));
        }
        for (JsonNode step : imageConfig.path("history")) {
            layerNames.add(step.path("comment").asText());
        }
    }

    /** Unpacks {@code tarball} into {@code scratch} (a new directory) and reads its index. */
    static OciArchive open(Path tarball, Path scratch) throws IOException, InterruptedException {
        Files.createDirectories(scratch);
        run(List.of("tar", "--extract", "--file", tarball.toString(), "--directory", scratch.toString()));
        return new OciArchive(scratch);
    }

    /** The image's run configuration: User, Entrypoint, Env, ExposedPorts, Volumes, Labels, WorkingDir. */
    JsonNode config() {
        return config;
    }

    /** The name and tag the image is loaded under ({@code org.opencontainers.image.ref.name}). */
    String reference() {
        return reference;
    }

    List<String> layerNames() {
        return List.copyOf(layerNames);
    }

    List<Path> layerBlobs() {
        return List.copyOf(layers);
    }

    /** Every entry of every layer, in order. */
    List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(layers.get(i)));
                    TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    entries.add(new Entry(
                            layerNames.get(i),
                            "/" + entry.getName().replaceFirst("^\\./", "").replaceFirst("/$", ""),
                            entry.getMode() & 07777,
                            entry.getLongUserId(),
                            entry.getLongGroupId(),
                            entry.isDirectory(),
                            entry.isSymbolicLink() || entry.isLink()));
                }
            }
        }
        return entries;
    }

    /** The image's file system: the layers unpacked in order, with their owners and modes (needs root). */
    void extractFileSystem(Path root) throws IOException, InterruptedException {
        Files.createDirectories(root);
        for (Path layer : layers) {
            run(List.of(
                    "tar",
                    "--warning=no-unknown-keyword",
                    "--extract",
                    "--gzip",
                    "--same-owner",
                    "--same-permissions",
                    "--numeric-owner",
                    "--file",
                    layer.toString(),
                    "--directory",
                    root.toString()));
        }
    }

    private Path blob(String digest) {
        return unpacked.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
