package dev.spalce.evidence.file;

import static dev.spalce.evidence.support.TestApi.as;
import static dev.spalce.evidence.support.TestApi.owner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.spalce.contracts.Topic;
import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class EvidenceFilesTest {

    private static final String BASE = "/internal/v1/workspaces/{ws}/evidence";
    private static final byte[] MARKER = "SPALCE-PLAINTEXT-MARKER-7f3a".getBytes(StandardCharsets.US_ASCII);

    /** A file of {@code size} bytes, pseudo-random except for the marker repeated at the start and in the middle. */
    private static byte[] file(int size, long seed) {
        byte[] content = new byte[Math.max(size, 2 * MARKER.length)];
        new Random(seed).nextBytes(content);
        System.arraycopy(MARKER, 0, content, 0, MARKER.length);
        System.arraycopy(MARKER, 0, content, size / 2, MARKER.length);
        return content;
    }

    private static JsonPath upload(String workspace, byte[] content, String name, String control, String... tags) {
        var request =
                owner(workspace).contentType("application/pdf").body(content).queryParam("name", name);
        if (control != null) {
            request.queryParam("control", control);
        }
        for (String tag : tags) {
            request.queryParam("tag", tag);
        }
        return request.when()
                .post(BASE, workspace)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    private static byte[] download(String workspace, String id) {
        String path = owner(workspace)
                .when()
                .get(BASE + "/{id}/download-url", workspace, id)
                .then()
                .statusCode(200)
                .extract()
                .path("path");
        return owner(workspace)
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/" + path)
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void multipartUpload_roundTripsThroughDownloadWithItsDigests() throws Exception {
        String workspace = TestApi.newWorkspace();
        byte[] content = file(12 * 1024 * 1024 + 123, 1);

        JsonPath uploaded = upload(workspace, content, "soc2-report.pdf", "CC6.1", "q3", "soc2");

        String id = uploaded.getString("id");
        assertThat(uploaded.getLong("sizeBytes")).isEqualTo(content.length);
        assertThat(uploaded.getString("sha256")).isEqualTo(sha256(content));
        byte[] stored = TestApi.rawObject("workspaces/" + workspace + "/evidence/" + id);
        assertThat(uploaded.getString("ciphertextSha256")).isEqualTo(sha256(stored));
        assertThat(uploaded.getLong("ciphertextBytes")).isEqualTo(stored.length);
        assertThat(uploaded.getString("kmsKeyId")).startsWith("local:").contains("#v1");
        assertThat(download(workspace, id)).isEqualTo(content);
    }

    @Test
    void storedBlobAndRow_holdOnlyCiphertext() throws Exception {
        String workspace = TestApi.newWorkspace();
        byte[] content = file(300_000, 2);

        String id = upload(workspace, content, "payroll.pdf", null).getString("id");

        byte[] stored = TestApi.rawObject("workspaces/" + workspace + "/evidence/" + id);
        assertThat(stored[0]).as("format version byte").isEqualTo((byte) 0x02);
        assertThat(TestApi.contains(stored, MARKER))
                .as("plaintext marker in the bucket")
                .isFalse();
        assertThat(TestApi.contains(stored, java.util.Arrays.copyOfRange(content, 1000, 1032)))
                .isFalse();
        List<Map<String, Object>> rows = TestApi.rawRows("SELECT * FROM {schema}.evidence_file WHERE id = ?::uuid", id);
        assertThat(rows).hasSize(1);
        assertThat(TestApi.dump(rows)).doesNotContain(new String(MARKER, StandardCharsets.ISO_8859_1));
        assertThat((byte[]) rows.get(0).get("wrapped_dek")).isNotEmpty();
    }

    @Test
    void blobCopiedToAnotherEvidenceId_failsToDecrypt() throws Exception {
        String workspace = TestApi.newWorkspace();
        String first = upload(workspace, file(50_000, 3), "a.pdf", null).getString("id");
        String second = upload(workspace, file(50_000, 4), "b.pdf", null).getString("id");
        // Move the first file's ciphertext under the second's name, and fix up the recorded digest so that only the
        // cryptographic binding (associated data = workspace + evidence id) stands in the way.
        byte[] moved = TestApi.rawObject("workspaces/" + workspace + "/evidence/" + first);
        TestApi.replaceObject("workspaces/" + workspace + "/evidence/" + second, moved);
        try (var admin = dev.spalce.testsupport.Infrastructure.adminConnection();
                var update = admin.prepareStatement("UPDATE " + EvidenceTestResource.SCHEMA
                        + ".evidence_file SET sha256_ciphertext = ? WHERE id = ?::uuid")) {
            update.setString(1, sha256(moved));
            update.setString(2, second);
            update.executeUpdate();
        }
        String path = owner(workspace)
                .when()
                .get(BASE + "/{id}/download-url", workspace, second)
                .then()
                .statusCode(200)
                .extract()
                .path("path");

        // The DEK is the second file's, the associated data names the second file: the tag fails on the first
        // segment, and the transfer is broken off instead of completing.
        Throwable failure = null;
        byte[] received = null;
        try {
            received = owner(workspace)
                    .when()
                    .get("/internal/v1/workspaces/" + workspace + "/" + path)
                    .then()
                    .extract()
                    .asByteArray();
        } catch (RuntimeException e) {
            failure = e;
        }
        assertThat(failure != null || received == null || received.length < 50_000)
                .as("no complete file is served from a moved ciphertext")
                .isTrue();
    }

    @Test
    void tamperedBlob_isRefusedWithIntegrityFailureBeforeAnyByte() throws Exception {
        String workspace = TestApi.newWorkspace();
        String id = upload(workspace, file(100_000, 5), "c.pdf", null).getString("id");
        String key = "workspaces/" + workspace + "/evidence/" + id;
        byte[] stored = TestApi.rawObject(key);
        stored[stored.length / 2] ^= 0x01;
        TestApi.replaceObject(key, stored);
        String path = owner(workspace)
                .when()
                .get(BASE + "/{id}/download-url", workspace, id)
                .then()
                .statusCode(200)
                .extract()
                .path("path");

        owner(workspace)
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/" + path)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/integrity-failure"));
    }

    @Test
    void emptyUpload_isRefusedAndLeavesNothing() {
        String workspace = TestApi.newWorkspace();

        assertUploadRefused(
                owner(workspace).contentType("application/pdf").body(new byte[0]),
                workspace,
                "empty.pdf",
                400,
                "empty-upload");

        assertNothingStored(workspace);
    }

    @Test
    void streamedUploadOverTheLimit_isRefusedWith413AndLeavesNoRowNorObject() {
        String workspace = TestApi.newWorkspace();
        int size = (int) EvidenceTestResource.MAX_UPLOAD_BYTES + 1024 * 1024;
        // An InputStream body goes out chunked, without Content-Length: the limit is enforced while streaming,
        // after several multipart parts have been uploaded.
        InputStream body = new ByteArrayInputStream(file(size, 6));

        assertUploadRefused(
                owner(workspace).contentType("application/pdf").body(body),
                workspace,
                "big.pdf",
                413,
                "upload-too-large");

        assertNothingStored(workspace);
    }

    @Test
    void unknownMediaType_isRefusedWith415() {
        String workspace = TestApi.newWorkspace();

        assertUploadRefused(
                owner(workspace).contentType("application/x-msdownload").body(file(1000, 7)),
                workspace,
                "x.exe",
                415,
                "unsupported-content");

        assertNothingStored(workspace);
    }

    @Test
    void alteredOrForeignDownloadUrl_isRefused() {
        String workspace = TestApi.newWorkspace();
        String id = upload(workspace, file(1000, 8), "d.pdf", null).getString("id");
        String other = upload(workspace, file(1000, 9), "e.pdf", null).getString("id");
        String path = owner(workspace)
                .when()
                .get(BASE + "/{id}/download-url", workspace, id)
                .then()
                .statusCode(200)
                .extract()
                .path("path");
        String base = "/internal/v1/workspaces/" + workspace + "/";

        // Another evidence id with this signature; a later expiry; a flipped signature character.
        owner(workspace)
                .when()
                .get(base + path.replace(id, other))
                .then()
                .statusCode(403)
                .body("type", equalTo("https://spalce.dev/problems/invalid-signed-url"));
        long expires = Long.parseLong(path.replaceAll(".*expires=(\\d+).*", "$1"));
        owner(workspace)
                .when()
                .get(base + path.replace("expires=" + expires, "expires=" + (expires + 3600)))
                .then()
                .statusCode(403);
        String signature = path.replaceAll(".*signature=", "");
        String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
        owner(workspace)
                .when()
                .get(base + path.replace(signature, flipped))
                .then()
                .statusCode(403);
        owner(workspace).when().get(base + "evidence/" + id + "/content").then().statusCode(403);
        // The genuine one works.
        owner(workspace).when().get(base + path).then().statusCode(200);
    }

    @Test
    void refusedSignedUrl_isAuditedWithTheClientAddress_andAFetchIsAuditedToo() {
        String workspace = TestApi.newWorkspace();
        String id = upload(workspace, file(1000, 11), "g.pdf", null).getString("id");
        String path = owner(workspace)
                .when()
                .get(BASE + "/{id}/download-url", workspace, id)
                .then()
                .statusCode(200)
                .extract()
                .path("path");
        String base = "/internal/v1/workspaces/" + workspace + "/";
        String signature = path.replaceAll(".*signature=", "");
        String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);

        // From the gateway (a trusted proxy on loopback here), which names the client in X-Forwarded-For.
        owner(workspace)
                .header("X-Forwarded-For", "203.0.113.77")
                .when()
                .get(base + path.replace(signature, flipped))
                .then()
                .statusCode(403)
                .body("type", equalTo("https://spalce.dev/problems/invalid-signed-url"));
        owner(workspace)
                .header("X-Forwarded-For", "198.51.100.23")
                .when()
                .get(base + path)
                .then()
                .statusCode(200);

        var refused = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace) && r.value().contains("\"type\":\"evidence.signed-url-refused\""),
                Duration.ofSeconds(60));
        assertThat(refused.value())
                .contains("\"outcome\":\"denied\"")
                .contains("\"sourceAddress\":\"203.0.113.77\"")
                .contains(id);
        var fetched = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace) && r.value().contains("\"type\":\"evidence.content-fetched\""),
                Duration.ofSeconds(60));
        assertThat(fetched.value())
                .contains("\"sourceAddress\":\"198.51.100.23\"")
                .contains(id);
    }

    @Test
    void expiredDownloadUrl_isRefused() {
        String workspace = TestApi.newWorkspace();
        String id = upload(workspace, file(1000, 10), "f.pdf", null).getString("id");
        String path = owner(workspace)
                .when()
                .get(BASE + "/{id}/download-url", workspace, id)
                .then()
                .statusCode(200)
                .extract()
                .path("path");
        long expires = Long.parseLong(path.replaceAll(".*expires=(\\d+).*", "$1"));
        assertThat(expires)
                .isBetween(
                        java.time.Instant.now().plusSeconds(280).getEpochSecond(),
                        java.time.Instant.now().plusSeconds(301).getEpochSecond());
        // A URL signed with the same key for a past instant cannot be made without the key; an altered expiry in
        // the past is refused as altered. What remains is that the check compares against the clock:
        owner(workspace)
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/" + path.replace("expires=" + expires, "expires=1"))
                .then()
                .statusCode(403);
    }

    @Test
    void anotherWorkspacesEvidence_answers404() {
        String workspace = TestApi.newWorkspace();
        String stranger = TestApi.newWorkspace();
        String id = upload(workspace, file(1000, 11), "g.pdf", null).getString("id");

        // The stranger's own token, naming their workspace, with the first workspace's id in the path…
        owner(stranger).when().get(BASE + "/{id}", stranger, id).then().statusCode(404);
        owner(stranger)
                .when()
                .get(BASE + "/{id}/download-url", stranger, id)
                .then()
                .statusCode(404);
        owner(stranger).when().delete(BASE + "/{id}", stranger, id).then().statusCode(404);
        // …or their token with the first workspace in the path.
        owner(stranger).when().get(BASE + "/{id}", workspace, id).then().statusCode(404);
        owner(stranger).when().get(BASE, workspace).then().statusCode(404);
        owner(workspace).when().get(BASE + "/{id}", workspace, id).then().statusCode(200);
    }

    @Test
    void rowLevelSecurity_hidesRowsWithoutTheWorkspaceSetting() throws Exception {
        String workspace = TestApi.newWorkspace();
        upload(workspace, file(1000, 12), "h.pdf", null);

        try (var connection = dev.spalce.testsupport.Infrastructure.connectionAs(EvidenceTestResource.APP_USER);
                var statement = connection.createStatement()) {
            statement.execute("SET search_path = " + EvidenceTestResource.SCHEMA);
            var none = statement.executeQuery("SELECT count(*) FROM evidence_file");
            none.next();
            assertThat(none.getLong(1))
                    .as("rows visible without spalce.workspace_id")
                    .isZero();
            statement.execute("SELECT set_config('spalce.workspace_id', 'some-other-workspace', false)");
            var other = statement.executeQuery("SELECT count(*) FROM evidence_file");
            other.next();
            assertThat(other.getLong(1)).isZero();
            statement.execute("SELECT set_config('spalce.workspace_id', '" + workspace + "', false)");
            var own = statement.executeQuery("SELECT count(*) FROM evidence_file");
            own.next();
            assertThat(own.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    void list_filtersByControlAndTagAndPagesWithACursor() {
        String workspace = TestApi.newWorkspace();
        for (int i = 0; i < 5; i++) {
            upload(
                    workspace,
                    file(100, 20 + i),
                    "file-" + i + ".pdf",
                    i % 2 == 0 ? "CC6.1" : "CC7.2",
                    i < 3 ? "q3" : "q4");
        }

        owner(workspace)
                .queryParam("control", "CC6.1")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(3));
        owner(workspace)
                .queryParam("tag", "q4")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(2));
        owner(workspace)
                .queryParam("from", "2100-01-01T00:00:00Z")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        JsonPath first = owner(workspace)
                .queryParam("limit", 2)
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .extract()
                .jsonPath();
        List<String> seen = new ArrayList<>(first.getList("items.id"));
        String cursor = first.getString("nextCursor");
        while (cursor != null) {
            JsonPath next = owner(workspace)
                    .queryParam("limit", 2)
                    .queryParam("cursor", cursor)
                    .when()
                    .get(BASE, workspace)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            seen.addAll(next.getList("items.id"));
            cursor = next.getString("nextCursor");
        }
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        owner(workspace)
                .queryParam("from", "yesterday")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void delete_removesRowAndObjectAndIsAudited() {
        String workspace = TestApi.newWorkspace();
        String id = upload(workspace, file(1000, 30), "i.pdf", null).getString("id");

        owner(workspace).when().delete(BASE + "/{id}", workspace, id).then().statusCode(204);

        owner(workspace).when().get(BASE + "/{id}", workspace, id).then().statusCode(404);
        assertThat(TestApi.objectKeys(workspace)).isEmpty();
        for (String action : List.of("evidence.uploaded", "evidence.deleted")) {
            var record = KafkaTestClient.awaitRecord(
                    Topic.AUDIT.topicName(),
                    r -> r.key().equals(workspace)
                            && r.value().contains("\"type\":\"" + action + "\"")
                            && r.value().contains(id),
                    Duration.ofSeconds(30));
            assertThat(record.value()).doesNotContain(new String(MARKER, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void concurrentUploads_allRoundTrip() throws Exception {
        String workspace = TestApi.newWorkspace();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String[]>> uploads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                Callable<String[]> task = () -> {
                    byte[] content = file(200_000 + n * 1000, 40 + n);
                    return new String[] {
                        upload(workspace, content, "c" + n + ".pdf", null).getString("id"), sha256(content)
                    };
                };
                uploads.add(pool.submit(task));
            }
            for (Future<String[]> upload : uploads) {
                String[] result = upload.get();
                assertThat(sha256(download(workspace, result[0]))).isEqualTo(result[1]);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(TestApi.objectKeys(workspace)).hasSize(8);
    }

    @Test
    void missingName_isATypedBadRequest() {
        String workspace = TestApi.newWorkspace();
        Response response = owner(workspace)
                .contentType("application/pdf")
                .body(file(10, 50))
                .when()
                .post(BASE, workspace);
        response.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("name"));
        as(workspace, "VIEWER")
                .when()
                .get(BASE + "/not-a-uuid", workspace)
                .then()
                .statusCode(404)
                .body("stack", nullValue());
    }

    /** The upload {@code upload} (body and media type set), named {@code name}, is refused with that problem. */
    private static void assertUploadRefused(
            RequestSpecification upload, String workspace, String name, int status, String problem) {
        upload.queryParam("name", name)
                .when()
                .post(BASE, workspace)
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/" + problem));
    }

    /** Neither an object in the store nor a row of evidence is left for the workspace. */
    private static void assertNothingStored(String workspace) {
        assertThat(TestApi.objectKeys(workspace)).isEmpty();
        assertThat(TestApi.rawRows("SELECT id FROM {schema}.evidence_file WHERE workspace_id = ?", workspace))
                .isEmpty();
    }
}
