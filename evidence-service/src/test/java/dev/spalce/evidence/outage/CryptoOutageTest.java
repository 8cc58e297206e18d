package dev.spalce.evidence.outage;

import static dev.spalce.evidence.support.TestApi.owner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** crypto-service does not answer (this service is pointed at a dead port); the object store is up. */
@QuarkusTest
@TestProfile(CryptoOutageTest.CryptoDown.class)
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class CryptoOutageTest {

    public static class CryptoDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.crypto-service.url", DeadPort.url());
        }
    }

    @Test
    void writesWhileCryptoServiceIsDown_answer503AndStoreNothing() {
        // The workspace's CMK is registered in the real crypto-service; only this service cannot reach it.
        String workspace = TestApi.newWorkspace();

        owner(workspace)
                .contentType("application/pdf")
                .body(new byte[4096])
                .queryParam("name", "x.pdf")
                .when()
                .post("/internal/v1/workspaces/{ws}/evidence", workspace)
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/crypto-unavailable"));
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("fullName", "A", "email", "a@example.com"))
                .when()
                .post("/internal/v1/workspaces/{ws}/personnel", workspace)
                .then()
                .statusCode(503)
                .body("type", equalTo("https://spalce.dev/problems/crypto-unavailable"));

        assertThat(TestApi.objectKeys(workspace)).isEmpty();
        assertThat(TestApi.rawRows("SELECT id FROM {schema}.evidence_file WHERE workspace_id = ?", workspace))
                .isEmpty();
        assertThat(TestApi.rawRows("SELECT id FROM {schema}.personnel WHERE workspace_id = ?", workspace))
                .isEmpty();
    }
}
