package dev.spalce.evidence.large;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.InternalTls;
import dev.spalce.testsupport.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB evidence file streamed up and down through evidence-service running as its own process from the built
 * jar with a 256 MiB heap (ServiceProcess starts every service with {@code -Xmx256m}), against the real
 * crypto-service, object store and database. Prints throughput. Slow: run with {@code -Plarge-files}.
 */
class LargeFileRoundTripIT {

    private static final long GIB = 1024L * 1024 * 1024;

    private static EvidenceTestResource resources;
    private static ServiceProcess evidence;

    @BeforeAll
    static void start() throws Exception {
        resources = new EvidenceTestResource();
        Map<String, String> config = resources.start();
        Map<String, String> properties = new LinkedHashMap<>();
        config.forEach((key, value) -> {
            properties.put(key, value);
            properties.put("%test." + key, value);
        });
        properties.put("spalce.evidence.upload.max-bytes", Long.toString(2 * GIB));
        properties.put("%test.spalce.evidence.upload.max-bytes", Long.toString(2 * GIB));
        evidence = ServiceProcess.prepare("evidence-service", Path.of("target", "service-logs"))
                .launch(properties)
                .awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (evidence != null) {
            evidence.close();
        }
        resources.stop();
    }

    /** {@code size} deterministic pseudo-random bytes, produced as they are read (nothing held in memory). */
    private static final class Generated extends InputStream {
        private final Random random = new Random(42);
        private final MessageDigest digest;
        private long remaining;

        Generated(long size) throws Exception {
            this.remaining = size;
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(length, remaining);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, buffer, offset, n);
            digest.update(chunk);
            remaining -= n;
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    @Test
    void oneGibFile_roundTripsThroughAServiceWith256MibHeap() throws Exception {
        String workspace = newWorkspace();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(InternalTls.sslContext("auth-gateway"))
                .build();
        String token = GatewayTokens.owner(workspace, "spalce-evidence");
        Generated content = new Generated(GIB);

        long started = System.nanoTime();
        HttpResponse<String> uploaded = http.send(
                HttpRequest.newBuilder(evidence.url()
                                .resolve("/internal/v1/workspaces/" + workspace + "/evidence?name=large.bin"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> content))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        double uploadSeconds = (System.nanoTime() - started) / 1e9;
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String sha256 = content.sha256();
        assertThat(uploaded.body()).contains(sha256).contains("\"sizeBytes\":" + GIB);
        String id = uploaded.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");

        String path = http.send(
                        HttpRequest.newBuilder(evidence.url()
                                        .resolve("/internal/v1/workspaces/" + workspace + "/evidence/" + id
                                                + "/download-url"))
                                .header("Authorization", "Bearer " + GatewayTokens.owner(workspace, "spalce-evidence"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body()
                .replaceAll(".*\"path\":\"([^\"]+)\".*", "$1");
        started = System.nanoTime();
        HttpResponse<InputStream> download = http.send(
                HttpRequest.newBuilder(evidence.url().resolve("/internal/v1/workspaces/" + workspace + "/" + path))
                        .header("Authorization", "Bearer " + GatewayTokens.owner(workspace, "spalce-evidence"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long bytes = 0;
        try (InputStream in = download.body()) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                received.update(buffer, 0, n);
                bytes += n;
            }
        }
        double downloadSeconds = (System.nanoTime() - started) / 1e9;

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(bytes).isEqualTo(GIB);
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(sha256);
        System.out.printf(
                "[large-file] 1 GiB upload %.1f s (%.1f MB/s), download %.1f s (%.1f MB/s), service heap -Xmx256m%n",
                uploadSeconds, GIB / 1e6 / uploadSeconds, downloadSeconds, GIB / 1e6 / downloadSeconds);
    }

    private static String newWorkspace() throws IOException, InterruptedException {
        String workspace = UUID.randomUUID().toString();
        HttpResponse<String> registered = HttpClient.newBuilder()
                .sslContext(InternalTls.sslContext("auth-gateway"))
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(EvidenceTestResource.cryptoUrl() + "/internal/v1/workspaces/"
                                        + workspace + "/keys"))
                                .header("Authorization", "Bearer " + GatewayTokens.owner(workspace, "spalce-crypto"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"provider\":\"local\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        return workspace;
    }
}
