package dev.spalce.evidence.hostile;

import static dev.spalce.evidence.support.TestApi.owner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.InternalTls;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stored object altered together with its recorded digest (an attacker with write access to the bucket and the
 * table): a download is refused as a typed problem when the damage is found before the first byte, and is broken
 * off, never ended cleanly and never left hanging, when it is found later.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class EvidenceDownloadIntegrityTest {

    private static final String EVIDENCE = "/internal/v1/workspaces/{ws}/evidence";
    private static final int SEGMENT = 1024 * 1024;

    @TestHTTPResource(value = "/", tls = true)
    URL base;

    private static String upload(String workspace, int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return owner(workspace)
                .contentType("application/pdf")
                .body(content)
                .queryParam("name", "x.pdf")
                .when()
                .post(EVIDENCE, workspace)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** Replaces the object and records the replacement's digest, so that only the AEAD stands in the way. */
    private static void tamper(String workspace, String id, int offset) throws Exception {
        String key = "workspaces/" + workspace + "/evidence/" + id;
        byte[] stored = TestApi.rawObject(key);
        stored[offset] ^= 0x01;
        TestApi.replaceObject(key, stored);
        recordDigest(
                id,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
    }

    private static void recordDigest(String id, String sha256) throws Exception {
        try (var admin = Infrastructure.adminConnection();
                var update = admin.prepareStatement("UPDATE " + EvidenceTestResource.SCHEMA
                        + ".evidence_file SET sha256_ciphertext = ? WHERE id = ?::uuid")) {
            update.setString(1, sha256);
            update.setString(2, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static String downloadPath(String workspace, String id) {
        return "internal/v1/workspaces/" + workspace + "/"
                + owner(workspace)
                        .when()
                        .get(EVIDENCE + "/{id}/download-url", workspace, id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("path");
    }

    /** Reads the whole body; returns how many bytes came before it ended, or throws if it broke off. */
    private long readBody(String workspace, String id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + downloadPath(workspace, id)))
                .header(
                        "Authorization",
                        "Bearer " + GatewayTokens.user("user-owner-of-" + workspace, workspace, "OWNER"))
                .timeout(Duration.ofSeconds(60))
                .build();
        HttpResponse<InputStream> response = HttpClient.newBuilder()
                .sslContext(InternalTls.sslContext(InternalTls.GATEWAY))
                .build()
                .send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length"))
                .as("streamed chunked")
                .isEmpty();
        CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream body = response.body()) {
                return body.transferTo(new ByteArrayOutputStream());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return read.get(30, TimeUnit.SECONDS);
    }

    @Test
    void singleSegmentObjectTamperedWithItsDigestReplaced_isRefusedAsIntegrityFailure() throws Exception {
        String workspace = TestApi.newWorkspace();
        String id = upload(workspace, 50_000);
        tamper(workspace, id, 25_000);

        owner(workspace)
                .when()
                .get("/" + downloadPath(workspace, id))
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/integrity-failure"));
    }

    @Test
    void laterSegmentTamperedWithItsDigestReplaced_breaksTheStreamOff_withinSeconds() throws Exception {
        String workspace = TestApi.newWorkspace();
        String id = upload(workspace, 3 * SEGMENT);
        tamper(workspace, id, 2 * SEGMENT + 1000);

        assertThatThrownBy(() -> readBody(workspace, id)).hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void intactObjectWithAWrongRecordedDigest_neverDeliversItsLastChunk() throws Exception {
        String workspace = TestApi.newWorkspace();
        String id = upload(workspace, 3 * SEGMENT);
        recordDigest(id, "00".repeat(32));

        assertThatThrownBy(() -> readBody(workspace, id)).hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void intactMultiSegmentObject_streamsWhole() throws Exception {
        String workspace = TestApi.newWorkspace();
        String id = upload(workspace, 3 * SEGMENT + 17);

        assertThat(readBody(workspace, id)).isEqualTo(3L * SEGMENT + 17);
    }
}
