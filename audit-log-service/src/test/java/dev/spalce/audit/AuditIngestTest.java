package dev.spalce.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.contracts.Topic;
import dev.spalce.testsupport.GoldenEvents;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class AuditIngestTest {

    private static final String GATEWAY = "spalce-auth-gateway";

    private static int storedCount(String eventId) {
        return given().auth().oauth2(OidcTokens.service(GATEWAY))
                .queryParam("workspace", "platform").queryParam("actor", "alice").queryParam("limit", 500)
                .when().get("/internal/v1/audit-events")
                .then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.eventId == '" + eventId + "' }").size();
    }

    @Test
    void goldenEvent_sentTwice_isStoredOnceWithEveryField() {
        String eventId = UUID.randomUUID().toString();
        String event = GoldenEvents.withId("audit/user.login", eventId);

        KafkaTestClient.sendCloudEvent(Topic.AUDIT.topicName(), "platform", event);
        KafkaTestClient.sendCloudEvent(Topic.AUDIT.topicName(), "platform", event);

        await().atMost(Duration.ofSeconds(20)).until(() -> storedCount(eventId) == 1);
        // A later event on the same partition is stored after both copies were consumed: the duplicate is gone.
        String later = UUID.randomUUID().toString();
        KafkaTestClient.sendCloudEvent(Topic.AUDIT.topicName(), "platform", GoldenEvents.withId("audit/user.login", later));
        await().atMost(Duration.ofSeconds(20)).until(() -> storedCount(later) == 1);
        assertThat(storedCount(eventId)).isEqualTo(1);

        given().auth().oauth2(OidcTokens.service(GATEWAY))
                .queryParam("workspace", "platform").queryParam("actor", "alice").queryParam("action", "user.login")
                .when().get("/internal/v1/audit-events")
                .then().statusCode(200)
                .body("find { it.eventId == '" + eventId + "' }.actor.subject", equalTo("alice"))
                .body("find { it.eventId == '" + eventId + "' }.outcome", equalTo("success"))
                .body("find { it.eventId == '" + eventId + "' }.sourceAddress", equalTo("203.0.113.7"))
                .body("find { it.eventId == '" + eventId + "' }.details.issuer", equalTo("https://idp.example.com/spalce"));
    }

    @Test
    void malformedEvent_goesToTheDeadLetterTopicWithItsReason() {
        String marker = "not-an-event-" + UUID.randomUUID();

        KafkaTestClient.sendCloudEvent(Topic.AUDIT.topicName(), marker, "{\"hello\":\"" + marker + "\"}");

        var dead = KafkaTestClient.awaitRecord(Topic.AUDIT_DEAD_LETTER.topicName(),
                record -> marker.equals(record.key()), Duration.ofSeconds(30));
        Header reason = dead.headers().lastHeader("dead-letter-reason");
        assertThat(reason).isNotNull();
        assertThat(new String(reason.value(), StandardCharsets.UTF_8)).contains("specversion");
    }

    @Test
    void serviceRole_cannotUpdateOrDeleteTheLog() throws SQLException {
        try (Connection asService = Infrastructure.connectionAs("spalce_audit")) {
            assertThatThrownBy(() -> asService.createStatement().executeUpdate("UPDATE audit_event SET outcome = 'x'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> asService.createStatement().executeUpdate("DELETE FROM audit_event"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void queryWithoutToken_isRefused() {
        given().queryParam("workspace", "platform")
                .when().get("/internal/v1/audit-events")
                .then().statusCode(401);
    }

    @Test
    void queryWithoutWorkspace_isAProblem() {
        given().auth().oauth2(OidcTokens.service(GATEWAY))
                .when().get("/internal/v1/audit-events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/invalid-request"))
                .body("detail", equalTo("query parameter 'workspace' is required"));
    }
}
