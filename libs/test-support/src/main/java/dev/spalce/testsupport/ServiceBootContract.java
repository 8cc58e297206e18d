package dev.spalce.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
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
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class)
                .filter(configured -> configured > 0).orElse(management.getPort());
        return management.getProtocol() + "://" + management.getHost() + ":" + port;
    }

    /** A token this service accepts: a service identity's for internal services. */
    protected String acceptedToken() {
        return OidcTokens.service("spalce-auth-gateway");
    }

    @Test
    void readiness_reportsPostgresqlAndKafkaUp() {
        given().baseUri(managementRoot()).when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL connections health check")))
                .body("checks.name", hasItem(containsString("Kafka connection health check")));
    }

    @Test
    void liveness_isUp() {
        given().baseUri(managementRoot()).when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metrics_areExposedForPrometheus() {
        given().baseUri(managementRoot()).when().get("/q/metrics")
                .then().statusCode(200)
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
        given().baseUri(managementRoot()).queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo(service));
    }

    @Test
    void internalStatus_withoutToken_isRefused() {
        given().when().get("/internal/v1/status").then().statusCode(401);
    }

    @Test
    void internalStatus_withAcceptedToken_isUp() {
        String service = ConfigProvider.getConfig().getValue("spalce.service.name", String.class);
        given().auth().oauth2(acceptedToken())
                .when().get("/internal/v1/status")
                .then().statusCode(200)
                .body("service", equalTo(service))
                .body("status", equalTo("UP"));
    }

    @Test
    void unknownPath_isAProblemWithTheRequestId() {
        given().auth().oauth2(acceptedToken())
                .header("X-Request-Id", "boot-contract-0001")
                .when().get("/internal/v1/no-such-thing")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .header("X-Request-Id", "boot-contract-0001")
                .body("status", equalTo(404))
                .body("requestId", equalTo("boot-contract-0001"))
                .body("type", notNullValue());
    }
}
