package dev.spalce.gateway.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.testsupport.GoldenSamples;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Iterator;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class SignInTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static CloudEvent awaitSignIn(String subject) {
        var record = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.value().contains("\"subject\":\"" + subject + "\""),
                Duration.ofSeconds(30));
        assertThat(record.key()).isEqualTo(CloudEvent.PLATFORM_WORKSPACE);
        return EventCodec.decode(record.value());
    }

    @Test
    void firstRequestOfANewToken_isAuditedAsUserLoginShapedLikeTheGoldenSample() throws Exception {
        String subject = "signin-" + UUID.randomUUID();
        String token = OidcTokens.user(subject);

        given().auth()
                .oauth2(token)
                .header("X-Request-Id", "signin-test-0001")
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("subject", equalTo(subject))
                .body("email", equalTo(subject + "@example.com"));

        CloudEvent event = awaitSignIn(subject);
        assertThat(event.type()).isEqualTo("user.login");
        assertThat(event.source()).isEqualTo("/spalce/auth-gateway");
        AuditPayload payload = EventCodec.data(event, AuditPayload.class);
        assertThat(payload.actor()).isEqualTo(AuditPayload.Actor.user(subject));
        assertThat(payload.requestId()).isEqualTo("signin-test-0001");
        assertThat(payload.details().get("issuer")).endsWith("/spalce");
        assertThat(EventCodec.encode(event)).doesNotContain(token);
        assertThat(fieldPaths(JSON.readTree(EventCodec.encode(event))))
                .isEqualTo(fieldPaths(JSON.readTree(GoldenSamples.load("audit/user.login"))));
    }

    @Test
    void laterRequestsOfTheSameToken_areNotAuditedAgain() {
        String subject = "repeat-" + UUID.randomUUID();
        String token = OidcTokens.user(subject);
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).when().get("/api/v1/me").then().statusCode(200);
        }
        String session = EventCodec.data(awaitSignIn(subject), AuditPayload.class)
                .target()
                .id();

        // Events of one key keep their order: once a later sign-in is on the topic, any duplicate would be too.
        String marker = "marker-" + UUID.randomUUID();
        given().auth()
                .oauth2(OidcTokens.user(marker))
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(200);
        awaitSignIn(marker);

        long copies = KafkaTestClient.records(Topic.AUDIT.topicName(), Duration.ofSeconds(5)).stream()
                .filter(r -> r.value().contains(session))
                .count();
        assertThat(copies).isEqualTo(1);
    }

    @Test
    void requestsWithoutAValidUserToken_areRefused() {
        given().when().get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2("not.a.jwt").when().get("/api/v1/me").then().statusCode(401);
        // A service token is for an internal service's audience, not the public API.
        given().auth()
                .oauth2(OidcTokens.service("spalce-rewrap-worker", "spalce-evidence"))
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(401);
    }

    @Test
    void signIns_whenTheAuditLogIsUnreachable_isA503Problem() {
        given().auth()
                .oauth2(OidcTokens.user("audit-down"))
                .when()
                .get("/api/v1/me/sign-ins")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("https://spalce.dev/problems/dependency-unavailable"));
    }

    private static TreeSet<String> fieldPaths(JsonNode node) {
        TreeSet<String> paths = new TreeSet<>();
        collect("", node, paths);
        return paths;
    }

    private static void collect(String prefix, JsonNode node, TreeSet<String> paths) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            paths.add(prefix + name);
            if (node.get(name).isObject() && !"details".equals(name)) {
                collect(prefix + name + ".", node.get(name), paths);
            }
        }
    }
}
