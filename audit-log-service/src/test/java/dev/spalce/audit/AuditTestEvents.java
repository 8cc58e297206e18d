package dev.spalce.audit;

import static io.restassured.RestAssured.given;

import dev.spalce.contracts.Topic;
import dev.spalce.testsupport.GoldenSamples;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.OidcTokens;
import io.restassured.response.ValidatableResponse;
import java.util.Map;

/** Sends golden audit events into a test's own workspace and reads them back through the internal API. */
final class AuditTestEvents {

    static final String GATEWAY = "spalce-auth-gateway";

    private AuditTestEvents() {}

    /** Sends the golden user.login sample with this id into this workspace; returns the id. */
    static String send(String workspace, String eventId) {
        KafkaTestClient.sendCloudEvent(
                Topic.AUDIT.topicName(),
                workspace,
                GoldenSamples.withAttributes("audit/user.login", Map.of("id", eventId, "workspaceid", workspace)));
        return eventId;
    }

    static ValidatableResponse query(String workspace, String queryString) {
        return given().auth()
                .oauth2(OidcTokens.service(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/audit-events?limit=500" + queryString)
                .then()
                .statusCode(200);
    }

    static int storedCount(String workspace) {
        return query(workspace, "").extract().jsonPath().getList("items").size();
    }
}
