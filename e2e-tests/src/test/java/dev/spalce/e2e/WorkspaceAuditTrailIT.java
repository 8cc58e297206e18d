package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.auditchain.ChainVerifier;
import dev.spalce.auditchain.VerificationReport;
import dev.spalce.testsupport.OidcTokens;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A workspace's own audit log, through the gateway: the gateway authorizes by role and calls audit-log-service
 * with a 60-second internal token, which audit-log-service verifies against the gateway's published key and
 * scopes to the workspace it names.
 */
class WorkspaceAuditTrailIT extends AgainstRunningSuite {

    @Test
    void ownersWorkspaceLog_isReadableByTheOwnerOnly_andItsExportVerifies() {
        String owner = OidcTokens.user("owner-" + UUID.randomUUID());
        String viewerSubject = "viewer-" + UUID.randomUUID();
        String viewer = OidcTokens.user(viewerSubject);
        String stranger = OidcTokens.user("stranger-" + UUID.randomUUID());
        String workspace = createWorkspace(owner, "E2E");
        given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("role", "VIEWER"))
                .when()
                .put(gateway("/api/v1/workspaces/" + workspace + "/members/" + viewerSubject))
                .then()
                .statusCode(200);

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    List<String> actions = given().auth()
                            .oauth2(owner)
                            .when()
                            .get(gateway("/api/v1/workspaces/" + workspace + "/audit-events"))
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("items.action");
                    return actions.containsAll(List.of("workspace.created", "member.joined"));
                });

        given().auth()
                .oauth2(viewer)
                .when()
                .get(gateway("/api/v1/workspaces/" + workspace + "/audit-events"))
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(stranger)
                .when()
                .get(gateway("/api/v1/workspaces/" + workspace + "/audit-events"))
                .then()
                .statusCode(404);

        String export = given().auth()
                .oauth2(owner)
                .when()
                .get(gateway("/api/v1/workspaces/" + workspace + "/audit-events/export.jsonl"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        VerificationReport report = new ChainVerifier(List.of()).verify(new BufferedReader(new StringReader(export)));
        assertThat(report.intact()).as(report.summary()).isTrue();
        assertThat(report.anchoredAtGenesis()).isTrue();
        assertThat(report.entries()).isGreaterThanOrEqualTo(2);
        // The viewer's 403 above was audited in the same workspace's log.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().auth()
                        .oauth2(owner)
                        .queryParam("action", "access.denied")
                        .when()
                        .get(gateway("/api/v1/workspaces/" + workspace + "/audit-events"))
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items.actor.subject")
                        .contains(viewerSubject));
    }

    /**
     * Reads of lists and metadata that the gateway routes to the real services are audited in aggregate: one
     * {@code resource.read} per actor, resource, address and window (2 s in the test profile), counting every
     * read, in the workspace's own log.
     */
    @Test
    void routedReads_areAuditedInAggregate_countingEveryRead() {
        String ownerSubject = "owner-" + UUID.randomUUID();
        String owner = OidcTokens.user(ownerSubject);
        String workspace = createWorkspace(owner, "Read often");
        int reads = 4;
        for (int i = 0; i < reads; i++) {
            given().auth()
                    .oauth2(owner)
                    .when()
                    .get(gateway("/api/v1/workspaces/" + workspace + "/check-results"))
                    .then()
                    .statusCode(200);
        }

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    List<Map<String, Object>> events = given().auth()
                            .oauth2(owner)
                            .queryParam("action", "resource.read")
                            .when()
                            .get(gateway("/api/v1/workspaces/" + workspace + "/audit-events"))
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("items");
                    List<Map<String, Object>> checkResultReads = events.stream()
                            .filter(event -> "check-results".equals(((Map<?, ?>) event.get("target")).get("id")))
                            .toList();
                    assertThat(checkResultReads)
                            .as("one event per window, counting every read")
                            .hasSizeBetween(1, 2)
                            .allSatisfy(event -> {
                                assertThat(((Map<?, ?>) event.get("actor")).get("subject"))
                                        .isEqualTo(ownerSubject);
                                assertThat(event.get("sourceAddress")).isEqualTo("127.0.0.1");
                            });
                    assertThat(checkResultReads.stream()
                                    .mapToInt(event ->
                                            Integer.parseInt((String) ((Map<?, ?>) event.get("details")).get("reads")))
                                    .sum())
                            .isEqualTo(reads);
                });
    }
}
