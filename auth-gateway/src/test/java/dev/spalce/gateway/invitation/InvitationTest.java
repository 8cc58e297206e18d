package dev.spalce.gateway.invitation;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasLength;

import dev.spalce.contracts.Topic;
import dev.spalce.gateway.workspace.GatewayClient;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The auditor invitation lifecycle, against the real database and the real OIDC server. */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class InvitationTest {

    /** The local OIDC server gives each user the email address {@code <subject>@example.com}. */
    private static String emailOf(GatewayClient user) {
        return user.subject() + "@example.com";
    }

    private static String invite(GatewayClient owner, String workspace, GatewayClient auditor) {
        return owner.post(
                        "/api/v1/workspaces/" + workspace + "/invitations",
                        Map.of(
                                "email",
                                emailOf(auditor),
                                "accessUntil",
                                Instant.now().plus(Duration.ofDays(30)).toString()))
                .statusCode(201)
                .body("role", equalTo("AUDITOR"))
                .body("token", hasLength(43))
                .extract()
                .path("token");
    }

    private static void sql(String statement) throws Exception {
        try (Connection admin = Infrastructure.adminConnection()) {
            admin.createStatement().executeUpdate(statement);
        }
    }

    @Test
    void invitedAuditor_joinsReadOnly_andTheTokenWorksOnlyOnce() {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        GatewayClient auditor = GatewayClient.signIn("auditor-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Audited");
        String token = invite(owner, workspace, auditor);

        auditor.post("/api/v1/invitations/accept", Map.of("token", token))
                .statusCode(200)
                .body("workspaceId", equalTo(workspace))
                .body("role", equalTo("AUDITOR"));
        auditor.get("/api/v1/workspaces/" + workspace).statusCode(200).body("role", equalTo("AUDITOR"));
        auditor.put("/api/v1/workspaces/" + workspace + "/members/x", Map.of("role", "VIEWER"))
                .statusCode(403);

        auditor.post("/api/v1/invitations/accept", Map.of("token", token))
                .statusCode(410)
                .body("type", equalTo("https://spalce.dev/problems/invitation-used"));
        KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> workspace.equals(r.key())
                        && r.value().contains("access.denied")
                        && r.value().contains("token reused"),
                Duration.ofSeconds(30));
    }

    @Test
    void expiredInvitation_isRefused() throws Exception {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        GatewayClient auditor = GatewayClient.signIn("auditor-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Late");
        String token = invite(owner, workspace, auditor);
        sql("UPDATE gateway.invitation SET expires_at = now() - interval '1 minute' WHERE workspace_id = '" + workspace
                + "'");

        auditor.post("/api/v1/invitations/accept", Map.of("token", token))
                .statusCode(410)
                .body("type", equalTo("https://spalce.dev/problems/invitation-expired"));
        auditor.get("/api/v1/workspaces/" + workspace).statusCode(404);
    }

    @Test
    void auditorsAccess_endsAtTheDateTheOwnerSet() throws Exception {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        GatewayClient auditor = GatewayClient.signIn("auditor-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Time-boxed");
        auditor.post("/api/v1/invitations/accept", Map.of("token", invite(owner, workspace, auditor)))
                .statusCode(200);
        auditor.get("/api/v1/workspaces/" + workspace).statusCode(200);

        sql("UPDATE gateway.membership SET access_expires_at = now() - interval '1 second' " + "WHERE workspace_id = '"
                + workspace + "' AND subject = '" + auditor.subject() + "'");

        // Within the gateway's access memo (2 seconds), the end of access takes effect.
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(250))
                .until(() ->
                        auditor.get("/api/v1/workspaces/" + workspace).extract().statusCode() == 404);
    }

    @Test
    void invitation_acceptedBySomeoneElse_isRefused() {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        GatewayClient auditor = GatewayClient.signIn("auditor-" + UUID.randomUUID());
        GatewayClient thief = GatewayClient.signIn("thief-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Bound");
        String token = invite(owner, workspace, auditor);

        thief.post("/api/v1/invitations/accept", Map.of("token", token))
                .statusCode(403)
                .body("type", equalTo("https://spalce.dev/problems/invitation-not-for-you"));
        auditor.post("/api/v1/invitations/accept", Map.of("token", token)).statusCode(200);
    }

    @Test
    void unknownToken_andBadRequests_areProblems() {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Validation");

        owner.post("/api/v1/invitations/accept", Map.of("token", "nope"))
                .statusCode(404)
                .body("type", equalTo("https://spalce.dev/problems/invitation-not-found"));
        owner.post(
                        "/api/v1/workspaces/" + workspace + "/invitations",
                        Map.of("email", "auditor@example.com", "accessUntil", "2000-01-01T00:00:00Z"))
                .statusCode(400);
        owner.post(
                        "/api/v1/workspaces/" + workspace + "/invitations",
                        Map.of(
                                "email",
                                "not-an-email",
                                "accessUntil",
                                Instant.now().plusSeconds(3600).toString()))
                .statusCode(400);
        GatewayClient.signIn("outsider-" + UUID.randomUUID())
                .post(
                        "/api/v1/workspaces/" + workspace + "/invitations",
                        Map.of(
                                "email",
                                "a@example.com",
                                "accessUntil",
                                Instant.now().plusSeconds(3600).toString()))
                .statusCode(404);
    }
}
