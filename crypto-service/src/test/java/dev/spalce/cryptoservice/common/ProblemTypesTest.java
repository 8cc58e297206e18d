package dev.spalce.cryptoservice.common;

import static dev.spalce.cryptoservice.support.TestApi.GATEWAY;
import static dev.spalce.cryptoservice.support.TestApi.PROBLEM_BASE;
import static dev.spalce.cryptoservice.support.TestApi.REWRAP_WORKER;
import static dev.spalce.cryptoservice.support.TestApi.mint;
import static dev.spalce.cryptoservice.support.TestApi.mintResponse;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.register;
import static dev.spalce.cryptoservice.support.TestApi.rotate;
import static dev.spalce.cryptoservice.support.TestApi.tampered;
import static dev.spalce.cryptoservice.support.TestApi.token;
import static dev.spalce.cryptoservice.support.TestApi.unwrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.OutageKeyProvider;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each failure crypto-service can report has its own problem type, so callers can tell them apart. */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class ProblemTypesTest {

    @Test
    void everyErrorKind_hasItsOwnTypeAndStatus() {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted old = mint(workspace, "evidence", "ev-1");
        rotate(workspace);
        given().auth()
                .oauth2(token(GATEWAY))
                .contentType(ContentType.JSON)
                .body(Map.of("state", "retired"))
                .when()
                .put("/internal/v1/workspaces/{ws}/keys/versions/1/state", workspace)
                .then()
                .statusCode(200);
        Minted current = mint(workspace, "evidence", "ev-2");
        Map<String, Object> unknownVersion = current.item();
        unknownVersion.put("kmsKeyId", current.kmsKeyId().replace("#v2", "#v7"));
        JsonPath items = unwrap(
                workspace,
                List.of(
                        old.item(),
                        unknownVersion,
                        current.item(tampered(current.wrapped(), 14)),
                        current.item("***")));
        String outage = newWorkspace();
        register(outage, OutageKeyProvider.ID);
        OutageKeyProvider.set(OutageKeyProvider.Mode.DOWN);
        Map<String, Integer> seen = new LinkedHashMap<>();
        try {
            seen.put(items.getString("items[0].error.type"), items.getInt("items[0].error.status"));
            seen.put(items.getString("items[1].error.type"), items.getInt("items[1].error.status"));
            seen.put(items.getString("items[2].error.type"), items.getInt("items[2].error.status"));
            seen.put(items.getString("items[3].error.type"), items.getInt("items[3].error.status"));
            put(seen, mintResponse(newWorkspace(), "evidence", "ev-1").jsonPath());
            put(seen, mintResponse(outage, "evidence", "ev-1").jsonPath());
            put(
                    seen,
                    given().auth()
                            .oauth2(token(REWRAP_WORKER))
                            .contentType(ContentType.JSON)
                            .body(Map.of("recordType", "evidence", "recordId", "ev-1"))
                            .when()
                            .post("/internal/v1/workspaces/{ws}/data-keys", workspace)
                            .jsonPath());
            put(
                    seen,
                    given().auth()
                            .oauth2(token(GATEWAY))
                            .contentType(ContentType.JSON)
                            .body(Map.of("provider", "local"))
                            .when()
                            .post("/internal/v1/workspaces/{ws}/keys", workspace)
                            .jsonPath());
        } finally {
            OutageKeyProvider.set(OutageKeyProvider.Mode.UP);
        }

        assertThat(seen)
                .containsExactly(
                        Map.entry(PROBLEM_BASE + "key-version-disabled", 409),
                        Map.entry(PROBLEM_BASE + "unknown-key-version", 404),
                        Map.entry(PROBLEM_BASE + "bad-wrapped-key", 422),
                        Map.entry(PROBLEM_BASE + "invalid-request", 400),
                        Map.entry(PROBLEM_BASE + "workspace-key-not-registered", 404),
                        Map.entry(PROBLEM_BASE + "dependency-unavailable", 503),
                        Map.entry(PROBLEM_BASE + "caller-not-allowed", 403),
                        Map.entry(PROBLEM_BASE + "workspace-key-already-registered", 409));
    }

    private static void put(Map<String, Integer> seen, JsonPath problem) {
        seen.put(problem.getString("type"), problem.getInt("status"));
    }
}
