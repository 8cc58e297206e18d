package dev.spalce.gateway.hostile;

import static org.hamcrest.Matchers.equalTo;

import dev.spalce.gateway.workspace.GatewayClient;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An invitation is bound to an email address: only an address the identity provider verified proves it. */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class EmailVerifiedInvitationTest {

    @Test
    void acceptance_withAnUnverifiedEmailClaim_isRefused_andTheVerifiedOneJoins() {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        String subject = "auditor-" + UUID.randomUUID();
        String workspace = owner.createWorkspace("Verified only");
        String token = owner.post(
                        "/api/v1/workspaces/" + workspace + "/invitations",
                        Map.of(
                                "email",
                                subject + "@example.com",
                                "accessUntil",
                                Instant.now().plus(Duration.ofDays(1)).toString()))
                .statusCode(201)
                .extract()
                .path("token");
        GatewayClient unverified = new GatewayClient(subject, OidcTokens.userForTestCase(subject, "unverified-email"));

        unverified
                .post("/api/v1/invitations/accept", Map.of("token", token))
                .statusCode(403)
                .body("type", equalTo("https://spalce.dev/problems/email-not-verified"));
        unverified.get("/api/v1/workspaces/" + workspace).statusCode(404);

        GatewayClient.signIn(subject)
                .post("/api/v1/invitations/accept", Map.of("token", token))
                .statusCode(200)
                .body("role", equalTo("AUDITOR"));
    }
}
