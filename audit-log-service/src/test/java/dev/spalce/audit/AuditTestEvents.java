package dev.spalce.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.spalce.contracts.Topic;
import dev.spalce.testsupport.GoldenSamples;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.OidcTokens;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

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

    /** A new workspace whose chain holds {@code entries} events, once they are all stored. */
    static String chainOf(int entries) {
        String workspace = UUID.randomUUID().toString();
        for (int i = 0; i < entries; i++) {
            send(workspace, UUID.randomUUID().toString());
        }
        // The first test also waits for the consumer to join its group, which takes a while on a loaded machine.
        await().atMost(Duration.ofSeconds(90)).until(() -> storedCount(workspace) == entries);
        return workspace;
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
