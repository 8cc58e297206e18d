package dev.spalce.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.access.WorkspaceResource;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.gateway.workspace.GatewayClient;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Authorization in front of the routed API. The internal services do not run beside this module's tests (their
 * URLs point at a closed port), so an authorized request ends in 503: proof it was authorized and then routed.
 * e2e-tests follows authorized requests all the way to the real services.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class WorkspaceRoutingTest {

    @Inject
    MeterRegistry metrics;

    private static GatewayClient user(String name) {
        return GatewayClient.signIn(name + "-" + UUID.randomUUID());
    }

    @Test
    void routedRequest_withoutToken_is401WithAChallenge() {
        given().when()
                .get("/api/v1/workspaces/" + UUID.randomUUID() + "/evidence")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"spalce\", error=\"invalid_token\"")
                .body("type", equalTo("https://spalce.dev/problems/unauthorized"));
        given().auth()
                .oauth2("forged.token.here")
                .when()
                .get("/api/v1/workspaces/" + UUID.randomUUID() + "/keys")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"spalce\", error=\"invalid_token\"");
    }

    @Test
    void routedRequest_toAnotherWorkspace_is404() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Routed");

        user("stranger")
                .get("/api/v1/workspaces/" + workspace + "/evidence")
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no such workspace"));
    }

    /**
     * One spelling of a workspace id: an upper-case or dropped-leading-zero spelling of an existing workspace, which
     * {@code UUID.fromString} would take for the same id, answers 404 on every route, the gateway's own and the
     * routed ones, for every method; nothing is forwarded (the canonical spelling reaches the closed port: 503).
     */
    @Test
    void existingWorkspace_inAnotherSpelling_is404OnEveryRoute() {
        GatewayClient owner = user("owner");
        String workspace = workspaceWithALeadingZero(owner);
        GatewayClient member = user("member");
        owner.addMember(workspace, member, "VIEWER");
        List<String> otherSpellings = List.of(workspace.toUpperCase(Locale.ROOT), dropLeadingZero(workspace));
        for (String spelling : otherSpellings) {
            assertThat(UUID.fromString(spelling).toString()).isEqualTo(workspace);
        }

        owner.get("/api/v1/workspaces/" + workspace).statusCode(200);
        owner.get("/api/v1/workspaces/" + workspace + "/evidence").statusCode(503);
        for (String spelling : otherSpellings) {
            String base = "/api/v1/workspaces/" + spelling;
            List<ValidatableResponse> answers = new ArrayList<>(List.of(
                    owner.get(base),
                    owner.get(base + "/members"),
                    owner.put(base + "/members/" + member.subject(), Map.of("role", "CONTRIBUTOR")),
                    owner.delete(base + "/members/" + member.subject()),
                    owner.post(
                            base + "/invitations",
                            Map.of(
                                    "email",
                                    "auditor@example.com",
                                    "expiresAt",
                                    Instant.now().plusSeconds(86_400).toString())),
                    owner.get(base + "/rewrap-progress")));
            for (WorkspaceResource resource : WorkspaceResource.values()) {
                answers.add(owner.get(base + "/" + resource.segment()));
                answers.add(owner.get(base + "/" + resource.segment() + "/some-id"));
                answers.add(owner.post(base + "/" + resource.segment(), Map.of()));
                answers.add(owner.delete(base + "/" + resource.segment() + "/some-id"));
            }
            for (ValidatableResponse answer : answers) {
                answer.statusCode(anyOf(equalTo(404), equalTo(405))).contentType("application/problem+json");
            }
            assertThat(answers.stream()
                            .filter(answer -> answer.extract().statusCode() == 404)
                            .count())
                    .as("routes answering 404 (405: a method the route does not offer at all)")
                    .isGreaterThanOrEqualTo(answers.size() - 3);
        }
        // Nothing changed through the refused spellings.
        owner.get("/api/v1/workspaces/" + workspace + "/members")
                .statusCode(200)
                .body("find { it.subject == '" + member.subject() + "' }.role", equalTo("VIEWER"));
    }

    /** A new workspace whose id has a group starting with 0, so that a spelling without that zero exists. */
    private static String workspaceWithALeadingZero(GatewayClient owner) {
        for (int attempt = 0; attempt < 200; attempt++) {
            String workspace = owner.createWorkspace("Spelling " + attempt);
            if (!dropLeadingZero(workspace).equals(workspace)) {
                return workspace;
            }
        }
        throw new AssertionError("no workspace id with a leading zero in a group after 200 tries");
    }

    /** The id with the first leading zero of a group dropped (UUID.fromString still reads the same UUID). */
    private static String dropLeadingZero(String id) {
        return id.replaceFirst("(^|-)0", "$1");
    }

    @Test
    void routedRequest_whoseRoleLacksThePermission_is403() {
        GatewayClient owner = user("owner");
        GatewayClient viewer = user("viewer");
        String workspace = owner.createWorkspace("Routed roles");
        owner.addMember(workspace, viewer, "VIEWER");

        viewer.get("/api/v1/workspaces/" + workspace + "/keys")
                .statusCode(403)
                .body("detail", equalTo("your role (Viewer) does not grant read-keys in this workspace"));
        viewer.post("/api/v1/workspaces/" + workspace + "/evidence", Map.of()).statusCode(403);
        viewer.get("/api/v1/workspaces/" + workspace + "/audit-events").statusCode(403);
    }

    /** The refusal's audit entry names the request, as every other entry a routed request causes does. */
    @Test
    void routedRequest_refused_isAuditedWithItsRequestIdAndClientAddress() {
        GatewayClient owner = user("owner");
        GatewayClient viewer = user("viewer");
        String workspace = owner.createWorkspace("Refusals traced");
        owner.addMember(workspace, viewer, "VIEWER");
        String requestId = "refused-" + UUID.randomUUID();

        given().auth()
                .oauth2(viewer.token())
                .header("X-Request-Id", requestId)
                .contentType("application/json")
                .body(Map.of("fullName", "Not allowed"))
                .when()
                .post("/api/v1/workspaces/" + workspace + "/personnel")
                .then()
                .statusCode(403)
                .header("X-Request-Id", requestId);

        var denied = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> workspace.equals(r.key()) && r.value().contains("access.denied"),
                Duration.ofSeconds(30));
        AuditPayload payload = EventCodec.data(EventCodec.decode(denied.value()), AuditPayload.class);
        assertThat(payload.actor().subject()).isEqualTo(viewer.subject());
        assertThat(payload.requestId()).isEqualTo(requestId);
        assertThat(payload.sourceAddress()).isEqualTo("127.0.0.1");
        assertThat(payload.details()).containsEntry("permission", "manage-personnel");
    }

    @Test
    void upload_largerThanTheJsonLimit_isRoutedOn_whileTheGatewaysOwnEndpointsRefuseIt() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Big files");
        byte[] twoMiB = new byte[2 * 1024 * 1024];

        // Routed: the gateway streams it on (here to a closed port: 503), evidence-service applies its own limit.
        given().auth()
                .oauth2(owner.token())
                .contentType("application/octet-stream")
                .body(twoMiB)
                .when()
                .post("/api/v1/workspaces/" + workspace + "/evidence?name=big.bin")
                .then()
                .statusCode(503);
        given().auth()
                .oauth2(owner.token())
                .contentType("application/json")
                .body(twoMiB)
                .when()
                .post("/api/v1/workspaces")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/request-too-large"));
    }

    @Test
    void methodTheRouteDoesNotOffer_is405() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Read-only log");

        owner.post("/api/v1/workspaces/" + workspace + "/audit-events", Map.of())
                .statusCode(405)
                .contentType("application/problem+json");
    }

    @Test
    void routedRequests_forDifferentRecords_shareOneMetricsSeries() {
        GatewayClient owner = user("metrics");
        String workspace = owner.createWorkspace("Counted");
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();

        owner.get("/api/v1/workspaces/" + workspace + "/evidence/" + first).statusCode(503);
        owner.get("/api/v1/workspaces/" + workspace + "/evidence/" + second + "/content")
                .statusCode(503);

        // A request's timer is recorded as its response ends, which the client may see first.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> uris = metrics.find("http.server.requests").timers().stream()
                    .map(timer -> timer.getId().getTag("uri"))
                    .toList();
            assertThat(uris)
                    .contains(
                            "/api/v1/workspaces/{workspace}/evidence/{id}",
                            "/api/v1/workspaces/{workspace}/evidence/{id}/{path}")
                    .noneMatch(uri -> uri.contains(workspace) || uri.contains(first) || uri.contains(second));
        });
    }

    @Test
    void authorizedRequest_toAnUnreachableService_is503WithRetryAdvice() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Down below");

        given().auth()
                .oauth2(owner.token())
                .header("X-Request-Id", "routing-test-0001")
                .when()
                .get("/api/v1/workspaces/" + workspace + "/audit-events")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .header("X-Request-Id", "routing-test-0001")
                .body("type", equalTo("https://spalce.dev/problems/dependency-unavailable"));
    }

    @Test
    void tokenKeys_arePublishedAsAJwkSet() {
        given().when()
                .get("/internal/v1/token-keys")
                .then()
                .statusCode(200)
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"));
    }

    @Test
    void everyResponse_carriesTheSecurityHeaders() {
        given().when()
                .get("/api/v1/me")
                .then()
                .statusCode(401)
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
}
