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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The object store does not answer (its endpoint points at a dead port); crypto-service is up. */
@QuarkusTest
@TestProfile(ObjectStoreOutageTest.StoreDown.class)
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class ObjectStoreOutageTest {

    public static class StoreDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("spalce.evidence.s3.endpoint", DeadPort.url());
        }
    }

    @Test
    void uploadWhileTheObjectStoreIsDown_answers503AndLeavesNoRow() {
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
                .header("Retry-After", equalTo("5"))
                .body("type", equalTo("https://spalce.dev/problems/object-store-unavailable"));

        assertThat(TestApi.rawRows("SELECT id FROM {schema}.evidence_file WHERE workspace_id = ?", workspace))
                .isEmpty();
    }
}
