package dev.spalce.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.spalce.contracts.access.Service;
import dev.spalce.contracts.access.WorkspaceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every Spalce service promises once it has booted, checked against the real infrastructure. A service's
 * test extends it: {@code @QuarkusTest class CryptoServiceBootTest extends ServiceBootContract {}}.
 */
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
public abstract class ServiceBootContract {

    /** Health and metrics are on the management interface, apart from the service's API. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    /**
     * The management interface's origin (the injected URL carries its root path, /q). Its port is the running
     * application's {@code quarkus.management.test-port}: the injected URL keeps the default port (9001) when the
     * port is moved, e.g. with {@code -Dquarkus.management.test-port=...} so that two modules' tests can run at once.
     */
    private String managementRoot() {
        return managementOrigin(management);
    }

    /**
     * The origin of the management interface the injected {@code management} URL names, as a test reaches it: over
     * TLS (the interface serves the service's internal certificate in every profile, which RestAssured trusts through
     * {@link InternalTls}; the injected URL still says http), on the port the application really listens on.
     */
    public static String managementOrigin(URL management) {
        int port = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class)
                .filter(configured -> configured > 0)
                .orElse(management.getPort());
        return "https://" + management.getHost() + ":" + port;
    }

    /** A token this service accepts: a service identity's for internal services. */
    protected String acceptedToken() {
        return OidcTokens.service("spalce-auth-gateway");
    }

    @Test
    void readiness_reportsPostgresqlAndKafkaUp() {
        given().baseUri(managementRoot())
                .when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL connections health check")))
                .body("checks.name", hasItem(containsString("Kafka connection health check")));
    }

    @Test
    void liveness_isUp() {
        given().baseUri(managementRoot())
                .when()
                .get("/q/health/live")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void metrics_areExposedForPrometheus() {
        given().baseUri(managementRoot())
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("postgresql_"));
    }

    @Test
    void healthAndMetrics_areNotOnTheServicePort() {
        given().when().get("/q/health/ready").then().statusCode(404);
        given().when().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void openApi_describesTheService() {
        String service = ConfigProvider.getConfig().getValue("spalce.service.name", String.class);
        given().baseUri(managementRoot())
                .queryParam("format", "json")
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("info.title", equalTo(service));
    }

    @Test
    void internalStatus_withoutToken_isRefused() {
        given().when().get("/internal/v1/status").then().statusCode(401);
    }

    @Test
    void internalStatus_withAcceptedToken_isUp() {
        String service = ConfigProvider.getConfig().getValue("spalce.service.name", String.class);
        given().auth()
                .oauth2(acceptedToken())
                .when()
                .get("/internal/v1/status")
                .then()
                .statusCode(200)
                .body("service", equalTo(service))
                .body("status", equalTo("UP"));
    }

    /** The audience every token this service accepts names (spalce.service.audience). */
    private static String ownAudience() {
        return ConfigProvider.getConfig().getValue("spalce.service.audience", String.class);
    }

    /** Another service's audience: evidence-service's, or crypto-service's for evidence-service itself. */
    private static String anotherAudience() {
        return ownAudience().equals(Service.EVIDENCE.audience())
                ? Service.CRYPTO.audience()
                : Service.EVIDENCE.audience();
    }

    @Test
    void serviceToken_forAnotherServicesAudience_isRefused401() {
        given().auth()
                .oauth2(OidcTokens.service("spalce-auth-gateway", anotherAudience()))
                .when()
                .get("/internal/v1/status")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void gatewayToken_forAnotherServicesAudience_isRefused401OnEveryWorkspaceResource() {
        String workspace = UUID.randomUUID().toString();
        String forAnother = GatewayTokens.owner(workspace, anotherAudience());
        given().auth()
                .oauth2(forAnother)
                .when()
                .get("/internal/v1/status")
                .then()
                .statusCode(401);
        for (WorkspaceResource resource : resourcesServedHere()) {
            given().auth()
                    .oauth2(forAnother)
                    .when()
                    .get("/internal/v1/workspaces/{ws}/" + resource.segment(), workspace)
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
        }
    }

    /**
     * A workspace id in any spelling but the canonical one is refused on every workspace route of the service,
     * whatever the token: 404 not-found, as a workspace that does not exist. An upper-case and a dropped-leading-zero
     * spelling of one id both parse to the same UUID, which is what would make them shadow tenants.
     */
    @Test
    void workspaceId_inAnotherSpelling_is404OnEveryWorkspaceResource() {
        String canonical = "0" + UUID.randomUUID().toString().substring(1);
        List<String> otherSpellings = List.of(canonical.toUpperCase(Locale.ROOT), canonical.substring(1));
        for (String spelling : otherSpellings) {
            assertThat(UUID.fromString(spelling).toString()).isEqualTo(canonical);
        }
        for (WorkspaceResource resource : resourcesServedHere()) {
            String path = "/internal/v1/workspaces/{ws}/" + resource.segment();
            // The canonical spelling is served (whatever the resource then says of an empty workspace).
            given().auth()
                    .oauth2(GatewayTokens.owner(canonical))
                    .when()
                    .get(path, canonical)
                    .then()
                    .body("type", not(endsWith("/not-found")));
            for (String spelling : otherSpellings) {
                // The token names the canonical workspace, the path another spelling.
                given().auth()
                        .oauth2(GatewayTokens.owner(canonical))
                        .when()
                        .get(path, spelling)
                        .then()
                        .statusCode(404)
                        .contentType("application/problem+json")
                        .body("type", endsWith("/not-found"));
                // Token and path alike in the other spelling, as a gateway that forwarded it as typed would send.
                given().auth()
                        .oauth2(GatewayTokens.owner(spelling))
                        .when()
                        .get(path, spelling)
                        .then()
                        .statusCode(404)
                        .body("type", endsWith("/not-found"));
                // A service identity, which acts for every tenant, is held to the one spelling too.
                given().auth()
                        .oauth2(acceptedToken())
                        .when()
                        .get(path, spelling)
                        .then()
                        .statusCode(404)
                        .body("type", endsWith("/not-found"));
            }
        }
    }

    /** The workspace resources users reach on this service (none on the gateway, which routes them). */
    private static List<WorkspaceResource> resourcesServedHere() {
        return Arrays.stream(WorkspaceResource.values())
                .filter(resource -> resource.service().audience().equals(ownAudience()))
                .toList();
    }

    @Test
    void unknownPath_isAProblemWithTheRequestId() {
        given().auth()
                .oauth2(acceptedToken())
                .header("X-Request-Id", "boot-contract-0001")
                .when()
                .get("/internal/v1/no-such-thing")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .header("X-Request-Id", "boot-contract-0001")
                .body("status", equalTo(404))
                .body("requestId", equalTo("boot-contract-0001"))
                .body("type", notNullValue());
    }
}
