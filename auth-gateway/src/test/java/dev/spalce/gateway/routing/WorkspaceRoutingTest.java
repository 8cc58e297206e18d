package dev.spalce.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.gateway.workspace.GatewayClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
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

    private static GatewayClient user(String name) {
        return GatewayClient.signIn(name + "-" + UUID.randomUUID());
    }

    @Test
    void routedRequest_withoutToken_is401WithAChallenge() {
        given().when().get("/api/v1/workspaces/" + UUID.randomUUID() + "/evidence")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"spalce\", error=\"invalid_token\"")
                .body("type", equalTo("https://spalce.dev/problems/unauthorized"));
        given().auth().oauth2("forged.token.here").when().get("/api/v1/workspaces/" + UUID.randomUUID() + "/keys")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"spalce\", error=\"invalid_token\"");
    }

    @Test
    void routedRequest_toAnotherWorkspace_is404() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Routed");

        user("stranger").get("/api/v1/workspaces/" + workspace + "/evidence").statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("no such workspace"));
    }

    @Test
    void routedRequest_whoseRoleLacksThePermission_is403() {
        GatewayClient owner = user("owner");
        GatewayClient viewer = user("viewer");
        String workspace = owner.createWorkspace("Routed roles");
        owner.addMember(workspace, viewer, "VIEWER");

        viewer.get("/api/v1/workspaces/" + workspace + "/keys").statusCode(403)
                .body("detail", equalTo("your role (Viewer) does not grant read-keys in this workspace"));
        viewer.post("/api/v1/workspaces/" + workspace + "/evidence", Map.of()).statusCode(403);
        viewer.get("/api/v1/workspaces/" + workspace + "/audit-events").statusCode(403);
    }

    @Test
    void upload_largerThanTheJsonLimit_isRoutedOn_whileTheGatewaysOwnEndpointsRefuseIt() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Big files");
        byte[] twoMiB = new byte[2 * 1024 * 1024];

        // Routed: the gateway streams it on (here to a closed port: 503), evidence-service applies its own limit.
        given().auth().oauth2(owner.token()).contentType("application/octet-stream").body(twoMiB)
                .when().post("/api/v1/workspaces/" + workspace + "/evidence?name=big.bin")
                .then().statusCode(503);
        given().auth().oauth2(owner.token()).contentType("application/json").body(twoMiB)
                .when().post("/api/v1/workspaces")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/request-too-large"));
    }

    @Test
    void methodTheRouteDoesNotOffer_is405() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Read-only log");

        owner.post("/api/v1/workspaces/" + workspace + "/audit-events", Map.of()).statusCode(405)
                .contentType("application/problem+json");
    }

    @Test
    void authorizedRequest_toAnUnreachableService_is503WithRetryAdvice() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Down below");

        given().auth().oauth2(owner.token()).header("X-Request-Id", "routing-test-0001")
                .when().get("/api/v1/workspaces/" + workspace + "/audit-events")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .header("X-Request-Id", "routing-test-0001")
                .body("type", equalTo("https://spalce.dev/problems/dependency-unavailable"));
    }

    @Test
    void tokenKeys_arePublishedAsAJwkSet() {
        given().when().get("/internal/v1/token-keys")
                .then().statusCode(200)
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"));
    }

    @Test
    void everyResponse_carriesTheSecurityHeaders() {
        given().when().get("/api/v1/me")
                .then().statusCode(401)
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
}
