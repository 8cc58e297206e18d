package dev.spalce.gateway.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class SystemStatusTest {

    @Test
    void status_withUnreachableServices_reportsEachDownInsteadOfFailing() {
        given().auth()
                .oauth2(OidcTokens.user("operator"))
                .when()
                .get("/api/v1/system/status")
                .then()
                .statusCode(200)
                .body("evidence-service.status", equalTo("DOWN"))
                .body("crypto-service.status", equalTo("DOWN"))
                .body("rewrap-worker.status", equalTo("DOWN"))
                .body("audit-log-service.status", equalTo("DOWN"));
    }

    @Test
    void status_withoutToken_isRefused() {
        given().when().get("/api/v1/system/status").then().statusCode(401);
    }
}
