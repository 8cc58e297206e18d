package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.testsupport.OidcTokens;
import io.restassured.response.Response;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An evidence file through the gateway, both ways: a Contributor uploads several megabytes (streamed through the
 * gateway into evidence-service's envelope encryption and the object store), a Viewer downloads it through a
 * signed URL and gets the same bytes, and may not upload.
 */
class EvidenceThroughGatewayIT extends AgainstRunningSuite {

    private static final int SIZE = 5 * 1024 * 1024 + 17;

    @Test
    void contributorUploadsAFile_andAViewerDownloadsTheSameBytes() throws Exception {
        String owner = OidcTokens.user("owner-" + UUID.randomUUID());
        String contributorSubject = "contributor-" + UUID.randomUUID();
        String viewerSubject = "viewer-" + UUID.randomUUID();
        String api = workspaceWithLocalKey(owner, "Files");
        for (var member : Map.of(contributorSubject, "CONTRIBUTOR", viewerSubject, "VIEWER")
                .entrySet()) {
            addMember(owner, api, member.getKey(), member.getValue());
        }
        byte[] file = new byte[SIZE];
        new SecureRandom().nextBytes(file);
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));

        Response uploaded = given().auth()
                .oauth2(OidcTokens.user(contributorSubject))
                .contentType("application/octet-stream")
                .queryParam("name", "scan.bin")
                .body(file)
                .when()
                .post(gateway(api + "/evidence"));
        assertThat(uploaded.statusCode()).as(uploaded.asString()).isEqualTo(201);
        String id = uploaded.jsonPath().getString("id");
        assertThat(uploaded.jsonPath().getString("sha256")).isEqualTo(sha256);
        assertThat(uploaded.jsonPath().getLong("sizeBytes")).isEqualTo(SIZE);

        String viewer = OidcTokens.user(viewerSubject);
        String path = given().auth()
                .oauth2(viewer)
                .when()
                .get(gateway(api + "/evidence/" + id + "/download-url"))
                .then()
                .statusCode(200)
                .extract()
                .path("path");
        Response download = given().auth().oauth2(viewer).when().get(gateway(api + "/" + path));

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.header("X-Content-SHA256")).isEqualTo(sha256);
        assertThat(download.asByteArray()).isEqualTo(file);
        given().auth()
                .oauth2(viewer)
                .contentType("application/octet-stream")
                .queryParam("name", "x.bin")
                .body(new byte[] {1, 2, 3})
                .when()
                .post(gateway(api + "/evidence"))
                .then()
                .statusCode(403);
    }
}
