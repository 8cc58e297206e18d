package dev.spalce.gateway.deletion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.gateway.workspace.GatewayClient;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An Owner's side of deleting a workspace, in the gateway alone: the request (Owners only, confirmed by the name),
 * the grace period (no changes, reads go on), its cancellation, and a purge that cannot finish while the internal
 * services are unreachable (this module's tests point them at a closed port): it stays underway, retried, and can no
 * longer be cancelled. The test profile's grace period is 3 seconds. The purge itself is WorkspaceDeletionIT's.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class WorkspaceDeletionTest {

    private static GatewayClient user(String role) {
        return GatewayClient.signIn(role + "-" + UUID.randomUUID());
    }

    private static String deletion(String workspace) {
        return "/api/v1/workspaces/" + workspace + "/deletion";
    }

    @Test
    void request_byOwnerNamingTheWorkspace_isPending_changesAreRefused_readsGoOn_andItIsAudited() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Doomed");

        owner.post(deletion(workspace), Map.of("confirmName", "Doomed"))
                .statusCode(202)
                .body("state", equalTo("pending"))
                .body("requestedBy", equalTo(owner.subject()))
                .body("purgeAfter", notNullValue());

        owner.put("/api/v1/workspaces/" + workspace + "/members/someone-" + UUID.randomUUID(), Map.of("role", "VIEWER"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", endsWith("/workspace-deletion-pending"));
        owner.get("/api/v1/workspaces/" + workspace).statusCode(200).body("name", equalTo("Doomed"));
        owner.get(deletion(workspace)).statusCode(200).body("workspaceId", equalTo(workspace));
        var requested = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> workspace.equals(r.key()) && r.value().contains("workspace.deletion-requested"),
                Duration.ofSeconds(30));
        AuditPayload payload = EventCodec.data(EventCodec.decode(requested.value()), AuditPayload.class);
        assertThat(payload.actor().subject()).isEqualTo(owner.subject());
        assertThat(payload.details()).containsKey("purgeAfter");
    }

    @Test
    void request_withAnotherName_isTheTyped400_andNothingIsPending() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Exact name");

        owner.post(deletion(workspace), Map.of("confirmName", "exact name"))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/workspace-name-mismatch"));

        owner.get(deletion(workspace)).statusCode(404);
    }

    @Test
    void request_twice_isTheTyped409() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Twice");
        owner.post(deletion(workspace), Map.of("confirmName", "Twice")).statusCode(202);

        owner.post(deletion(workspace), Map.of("confirmName", "Twice"))
                .statusCode(409)
                .body("type", endsWith("/workspace-deletion-pending"));
    }

    @Test
    void request_byContributor_isForbidden_andByStranger_isNotFound() {
        GatewayClient owner = user("owner");
        GatewayClient contributor = user("contributor");
        String workspace = owner.createWorkspace("Shared");
        owner.addMember(workspace, contributor, "CONTRIBUTOR");

        contributor
                .post(deletion(workspace), Map.of("confirmName", "Shared"))
                .statusCode(403)
                .contentType("application/problem+json");
        user("stranger")
                .post(deletion(workspace), Map.of("confirmName", "Shared"))
                .statusCode(404);
        contributor.delete(deletion(workspace)).statusCode(403);
        owner.get(deletion(workspace)).statusCode(404);
    }

    @Test
    void cancel_duringTheGracePeriod_endsTheDeletion_andChangesAreAllowedAgain() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Reprieved");
        owner.post(deletion(workspace), Map.of("confirmName", "Reprieved")).statusCode(202);

        owner.delete(deletion(workspace)).statusCode(204);

        owner.get(deletion(workspace)).statusCode(404);
        owner.put("/api/v1/workspaces/" + workspace + "/members/viewer-" + UUID.randomUUID(), Map.of("role", "VIEWER"))
                .statusCode(200);
        KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> workspace.equals(r.key()) && r.value().contains("workspace.deletion-cancelled"),
                Duration.ofSeconds(30));
    }

    @Test
    void afterTheGracePeriod_thePurgeStarts_staysUnderwayWhileServicesAreDown_andCannotBeCancelled() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Purging");
        owner.post(deletion(workspace), Map.of("confirmName", "Purging")).statusCode(202);

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> owner.get(deletion(workspace)).statusCode(200).body("state", equalTo("purging")));

        owner.delete(deletion(workspace)).statusCode(409).body("type", endsWith("/workspace-deletion-in-progress"));
        // Nothing was shredded (crypto-service never answered), and the workspace still refuses changes.
        owner.get(deletion(workspace)).statusCode(200).body("keys", equalTo(null));
        owner.put("/api/v1/workspaces/" + workspace + "/members/viewer-" + UUID.randomUUID(), Map.of("role", "VIEWER"))
                .statusCode(409);
    }
}
