package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.testsupport.OidcTokens;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The whole suite answering a real user: a token from the OIDC server, the gateway verifying it and reaching
 * every internal service with its own service token, and the user's sign-in crossing Kafka into the audit log.
 */
class SuiteSmokeIT extends AgainstRunningSuite {

    @Test
    void userRequest_reachesEveryServiceAndTheSignInCrossesKafkaIntoTheAuditLog() {
        String subject = "e2e-" + UUID.randomUUID();
        String token = OidcTokens.user(subject);

        given().auth()
                .oauth2(token)
                .when()
                .get(gateway("/api/v1/me"))
                .then()
                .statusCode(200)
                .body("subject", equalTo(subject));

        given().auth()
                .oauth2(token)
                .when()
                .get(gateway("/api/v1/system/status"))
                .then()
                .statusCode(200)
                .body("evidence-service.status", equalTo("UP"))
                .body("crypto-service.status", equalTo("UP"))
                .body("rewrap-worker.status", equalTo("UP"))
                .body("audit-log-service.status", equalTo("UP"));

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    JsonPath signIns = given().auth()
                            .oauth2(token)
                            .when()
                            .get(gateway("/api/v1/me/sign-ins"))
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    return signIns.getList("items.findAll { it.action == 'user.login' && it.actor.subject == '"
                                            + subject + "' }")
                                    .size()
                            == 1;
                });
    }

    @Test
    void requestWithoutToken_isRefusedAtTheGateway() {
        given().when().get(gateway("/api/v1/system/status")).then().statusCode(401);
    }
}
