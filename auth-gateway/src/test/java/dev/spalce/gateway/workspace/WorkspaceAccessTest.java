package dev.spalce.gateway.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class WorkspaceAccessTest {

    private static GatewayClient user(String role) {
        return GatewayClient.signIn(role + "-" + UUID.randomUUID());
    }

    @Test
    void creator_becomesOwner_andSeesTheWorkspace() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("Acme compliance");

        owner.get("/api/v1/workspaces/" + workspace)
                .statusCode(200)
                .body("name", equalTo("Acme compliance"))
                .body("role", equalTo("OWNER"));
        owner.get("/api/v1/workspaces").statusCode(200).body("id", hasItem(workspace));
        owner.get("/api/v1/workspaces/" + workspace + "/members")
                .statusCode(200)
                .body("subject", equalTo(java.util.List.of(owner.subject())));
    }

    @Test
    void anotherWorkspacesId_answers404LikeAnIdThatDoesNotExist_andIsAudited() {
        GatewayClient owner = user("owner");
        GatewayClient stranger = user("stranger");
        String workspace = owner.createWorkspace("Private");

        var hidden = stranger.get("/api/v1/workspaces/" + workspace)
                .statusCode(404)
                .contentType("application/problem+json")
                .extract()
                .body()
                .asString();
        var missing = stranger.get("/api/v1/workspaces/" + UUID.randomUUID())
                .statusCode(404)
                .extract()
                .body()
                .asString();
        stranger.get("/api/v1/workspaces/not-even-an-id").statusCode(404);
        stranger.get("/api/v1/workspaces").statusCode(200).body("id", not(hasItem(workspace)));

        assertThat(hidden.replaceAll("\"instance\":\"[^\"]*\",?", "").replaceAll("\"requestId\":\"[^\"]*\"", ""))
                .isEqualTo(
                        missing.replaceAll("\"instance\":\"[^\"]*\",?", "").replaceAll("\"requestId\":\"[^\"]*\"", ""));
        var denied = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> workspace.equals(r.key()) && r.value().contains("access.denied"),
                Duration.ofSeconds(30));
        AuditPayload payload = EventCodec.data(EventCodec.decode(denied.value()), AuditPayload.class);
        assertThat(payload.actor().subject()).isEqualTo(stranger.subject());
        assertThat(payload.details())
                .containsEntry("permission", "read-workspace")
                .containsEntry("reason", "not a member");
    }

    @Test
    void roleWithoutThePermission_gets403_andEveryRoleReadsTheWorkspace() {
        GatewayClient owner = user("owner");
        GatewayClient viewer = user("viewer");
        GatewayClient contributor = user("contributor");
        String workspace = owner.createWorkspace("Roles");
        owner.addMember(workspace, viewer, "VIEWER");
        owner.addMember(workspace, contributor, "CONTRIBUTOR");

        viewer.get("/api/v1/workspaces/" + workspace).statusCode(200).body("role", equalTo("VIEWER"));
        contributor
                .get("/api/v1/workspaces/" + workspace + "/members")
                .statusCode(200)
                .body("$", hasSize(3));
        viewer.put("/api/v1/workspaces/" + workspace + "/members/someone", Map.of("role", "OWNER"))
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("your role (Viewer) does not grant manage-members in this workspace"));
        contributor
                .delete("/api/v1/workspaces/" + workspace + "/members/" + viewer.subject())
                .statusCode(403);
    }

    @Test
    void lastOwner_cannotBeRemovedOrDemoted_butOwnershipCanBeHandedOver() {
        GatewayClient owner = user("owner");
        GatewayClient successor = user("successor");
        String workspace = owner.createWorkspace("Handover");

        owner.put("/api/v1/workspaces/" + workspace + "/members/" + owner.subject(), Map.of("role", "VIEWER"))
                .statusCode(409)
                .body("type", equalTo("https://spalce.dev/problems/last-owner"));
        owner.delete("/api/v1/workspaces/" + workspace + "/members/" + owner.subject())
                .statusCode(409);

        owner.addMember(workspace, successor, "OWNER");
        owner.delete("/api/v1/workspaces/" + workspace + "/members/" + owner.subject())
                .statusCode(204);
        owner.get("/api/v1/workspaces/" + workspace).statusCode(404);
        successor.get("/api/v1/workspaces/" + workspace).statusCode(200).body("role", equalTo("OWNER"));
    }

    @Test
    void auditorRole_cannotBeGrantedDirectly() {
        GatewayClient owner = user("owner");
        String workspace = owner.createWorkspace("No shortcut");

        owner.put("/api/v1/workspaces/" + workspace + "/members/someone", Map.of("role", "AUDITOR"))
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("invitation"));
    }

    @Test
    void badInput_isAProblem() {
        GatewayClient owner = user("owner");
        owner.post("/api/v1/workspaces", Map.of("name", ""))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("name"));
        owner.post("/api/v1/workspaces", Map.of("name", "x".repeat(201))).statusCode(400);
        String workspace = owner.createWorkspace("Bad roles");
        owner.put("/api/v1/workspaces/" + workspace + "/members/u", Map.of("role", "EMPEROR"))
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
