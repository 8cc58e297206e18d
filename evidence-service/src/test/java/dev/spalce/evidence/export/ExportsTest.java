package dev.spalce.evidence.export;

import static dev.spalce.evidence.support.TestApi.as;
import static dev.spalce.evidence.support.TestApi.owner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Workspace exports at evidence-service's API (docs/export.md): who may export, what a failed export leaves, and
 * that a signed URL of another purpose opens nothing. The whole round trip, with audit-log-service and the decrypt
 * tool, is e2e-tests' WorkspaceExportIT; here audit-log-service is not running, which is the failure case.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class ExportsTest {

    private static final String BASE = "/internal/v1/workspaces/{ws}/exports";

    @Test
    void export_byAnyRoleButOwner_isRefusedWithAProblem() {
        String workspace = TestApi.newWorkspace();

        for (String role : new String[] {"CONTRIBUTOR", "VIEWER", "AUDITOR"}) {
            as(workspace, role)
                    .when()
                    .post(BASE, workspace)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        as(workspace, "AUDITOR")
                .when()
                .get(BASE + "/{id}", workspace, java.util.UUID.randomUUID())
                .then()
                .statusCode(403);
    }

    @Test
    void signingKey_isAnEd25519PublicKey_readableByAnAuditor() throws Exception {
        String workspace = TestApi.newWorkspace();

        String publicKey = as(workspace, "AUDITOR")
                .when()
                .get(BASE + "/signing-key", workspace)
                .then()
                .statusCode(200)
                .body("algorithm", equalTo("Ed25519"))
                .extract()
                .path("publicKey");

        assertThat(KeyFactory.getInstance("Ed25519")
                        .generatePublic(
                                new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)))
                        .getAlgorithm())
                .isIn("Ed25519", "EdDSA");
        as(workspace, "VIEWER")
                .when()
                .get(BASE + "/signing-key", workspace)
                .then()
                .statusCode(403);
    }

    @Test
    void export_withTheAuditLogUnreachable_failsAndLeavesNoArchive() throws InterruptedException {
        String workspace = TestApi.newWorkspace();
        uploadNote(workspace);

        Response started = owner(workspace).when().post(BASE, workspace);

        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        assertThat(started.jsonPath().getString("state")).isEqualTo("running");
        assertThat(started.jsonPath().getLong("recordsTotal")).isEqualTo(2);
        String id = started.jsonPath().getString("id");
        assertThat(stateWithin(workspace, id, Duration.ofSeconds(60))).isEqualTo("failed");
        assertThat(owner(workspace)
                        .when()
                        .get(BASE + "/{id}", workspace, id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .<String>path("error"))
                .isNotBlank();
        owner(workspace)
                .when()
                .get(BASE + "/{id}/download-url", workspace, id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/export-not-ready"));
        assertThat(TestApi.objectKeys(workspace)).noneMatch(key -> key.contains("/exports/"));
    }

    @Test
    void content_withTheSignatureOfAnEvidenceDownload_isRefused() {
        String workspace = TestApi.newWorkspace();
        String evidenceId = uploadNote(workspace);
        String evidencePath = owner(workspace)
                .when()
                .get("/internal/v1/workspaces/{ws}/evidence/{id}/download-url", workspace, evidenceId)
                .then()
                .statusCode(200)
                .extract()
                .path("path");

        // The same id, expiry and signature, at the export's content: signed for another purpose.
        owner(workspace)
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/" + evidencePath.replace("evidence/", "exports/"))
                .then()
                .statusCode(403)
                .body("type", equalTo("https://spalce.dev/problems/invalid-signed-url"));
    }

    /** Uploads a small evidence file; its id. */
    private static String uploadNote(String workspace) {
        return owner(workspace)
                .contentType("text/plain")
                .queryParam("name", "note.txt")
                .body("evidence")
                .when()
                .post("/internal/v1/workspaces/{ws}/evidence", workspace)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** The export's state once it is no longer running, or "running" after {@code limit}. */
    private static String stateWithin(String workspace, String id, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String state;
        do {
            Thread.sleep(250);
            state = owner(workspace)
                    .when()
                    .get(BASE + "/{id}", workspace, id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("state");
        } while ("running".equals(state) && System.nanoTime() < deadline);
        return state;
    }
}
