package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.spalce.contracts.access.Service;
import dev.spalce.contracts.access.WorkspaceResource;
import dev.spalce.testsupport.OidcTokens;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walls inside the perimeter, across the running services: a token the gateway mints is good at its one target
 * service only; each service checks the role in it against the permission matrix; and a workspace id has one
 * spelling, at the gateway and at every service.
 */
class ZeroTrustInsideIT extends AgainstRunningSuite {

    private static final Map<Service, String> MODULES = Map.of(
            Service.EVIDENCE,
            "evidence-service",
            Service.CRYPTO,
            "crypto-service",
            Service.REWRAP,
            "rewrap-worker",
            Service.AUDIT,
            "audit-log-service");

    private static String owner;
    private static String ownerSubject;
    /** An existing workspace with a key, one personnel record, and an id with a group starting with 0. */
    private static String workspace;

    @BeforeAll
    static void workspaceWithData() {
        ownerSubject = "owner-" + UUID.randomUUID();
        owner = OidcTokens.user(ownerSubject);
        for (int attempt = 0; attempt < 200 && workspace == null; attempt++) {
            String created = createWorkspace(owner, "Zero trust " + attempt);
            if (!dropLeadingZero(created).equals(created)) {
                workspace = created;
            }
        }
        assertThat(workspace)
                .as("a workspace id with a leading zero in a group")
                .isNotNull();
        given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "local"))
                .when()
                .post(gateway("/api/v1/workspaces/" + workspace + "/keys"))
                .then()
                .statusCode(201);
        given().auth()
                .oauth2(owner)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "fullName",
                        "Ada Lovelace",
                        "email",
                        "ada@example.com",
                        "phone",
                        "+44 20 7946 0000",
                        "governmentId",
                        "QQ123456C"))
                .when()
                .post(gateway("/api/v1/workspaces/" + workspace + "/personnel"))
                .then()
                .statusCode(201);
    }

    @Test
    void tokenMintedForEvidenceService_isRefused401AtEveryOtherService() {
        String forEvidence = suite.internalToken(ownerSubject, workspace, "OWNER", Service.EVIDENCE.audience());
        given().auth()
                .oauth2(forEvidence)
                .when()
                .get(internal(Service.EVIDENCE, WorkspaceResource.PERSONNEL, workspace))
                .then()
                .statusCode(200);
        for (Service other : List.of(Service.CRYPTO, Service.REWRAP, Service.AUDIT)) {
            WorkspaceResource resource = servedBy(other);
            given().auth()
                    .oauth2(forEvidence)
                    .when()
                    .get(internal(other, resource, workspace))
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
        }
        // A service identity's token for evidence-service is refused elsewhere too.
        String serviceForEvidence = OidcTokens.service("spalce-rewrap-worker", Service.EVIDENCE.audience());
        for (Service other : List.of(Service.CRYPTO, Service.REWRAP, Service.AUDIT)) {
            given().auth()
                    .oauth2(serviceForEvidence)
                    .when()
                    .get(suite.url(MODULES.get(other)) + "/internal/v1/status")
                    .then()
                    .statusCode(401);
        }
    }

    @Test
    void auditorsInternalToken_get403AtEvidenceServicesPersonnel() {
        String auditors =
                suite.internalToken("auditor-" + UUID.randomUUID(), workspace, "AUDITOR", Service.EVIDENCE.audience());
        given().auth()
                .oauth2(auditors)
                .when()
                .get(internal(Service.EVIDENCE, WorkspaceResource.PERSONNEL, workspace))
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", endsWith("/forbidden"));
        // What the Auditor may do there, they may.
        given().auth()
                .oauth2(auditors)
                .when()
                .get(internal(Service.EVIDENCE, WorkspaceResource.EVIDENCE, workspace))
                .then()
                .statusCode(200);
    }

    @Test
    void ownersTokenForAuditLogService_cannotBeReplayedAtCryptoService() {
        String seenByAuditLog = suite.internalToken(ownerSubject, workspace, "OWNER", Service.AUDIT.audience());
        given().auth()
                .oauth2(seenByAuditLog)
                .when()
                .get(internal(Service.AUDIT, WorkspaceResource.AUDIT_EVENTS, workspace))
                .then()
                .statusCode(200);
        String keys = internal(Service.CRYPTO, WorkspaceResource.KEYS, workspace);
        given().auth()
                .oauth2(seenByAuditLog)
                .when()
                .post(keys + "/rotations")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(owner)
                .when()
                .get(gateway("/api/v1/workspaces/" + workspace + "/keys"))
                .then()
                .statusCode(200)
                .body("versions", hasSize(1));
    }

    @Test
    void existingWorkspace_inAnotherSpelling_is404AtTheGatewayAndAtEveryService() {
        List<String> otherSpellings = List.of(workspace.toUpperCase(Locale.ROOT), dropLeadingZero(workspace));
        for (String spelling : otherSpellings) {
            assertThat(UUID.fromString(spelling).toString()).isEqualTo(workspace);
            for (WorkspaceResource resource : WorkspaceResource.values()) {
                given().auth()
                        .oauth2(owner)
                        .when()
                        .get(gateway("/api/v1/workspaces/" + spelling + "/" + resource.segment()))
                        .then()
                        .statusCode(404)
                        .contentType("application/problem+json");
                // Straight to the service, with a token of the gateway's key naming that spelling.
                given().auth()
                        .oauth2(suite.internalToken(
                                ownerSubject,
                                spelling,
                                "OWNER",
                                resource.service().audience()))
                        .when()
                        .get(internal(resource.service(), resource, spelling))
                        .then()
                        .statusCode(404)
                        .body("type", endsWith("/not-found"));
            }
            given().auth()
                    .oauth2(owner)
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "fullName", "Shadow", "email", "shadow@example.com", "phone", "0", "governmentId", "X"))
                    .when()
                    .post(gateway("/api/v1/workspaces/" + spelling + "/personnel"))
                    .then()
                    .statusCode(404);
            given().auth()
                    .oauth2(owner)
                    .when()
                    .get(gateway("/api/v1/workspaces/" + spelling))
                    .then()
                    .statusCode(404);
        }
        // The canonical spelling still holds exactly the one record: nothing was written through another spelling.
        given().auth()
                .oauth2(owner)
                .when()
                .get(gateway("/api/v1/workspaces/" + workspace + "/personnel"))
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].email", equalTo("ada@example.com"));
    }

    private static WorkspaceResource servedBy(Service service) {
        return List.of(WorkspaceResource.values()).stream()
                .filter(resource -> resource.service() == service)
                .findFirst()
                .orElseThrow();
    }

    private static String internal(Service service, WorkspaceResource resource, String workspaceId) {
        return suite.url(MODULES.get(service)) + "/internal/v1/workspaces/" + workspaceId + "/" + resource.segment();
    }

    private static String dropLeadingZero(String id) {
        return id.replaceFirst("(^|-)0", "$1");
    }
}
