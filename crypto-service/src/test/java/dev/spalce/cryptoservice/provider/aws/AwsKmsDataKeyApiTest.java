package dev.spalce.keyproviders.aws;

import static dev.spalce.cryptoservice.support.TestApi.GATEWAY;
import static dev.spalce.cryptoservice.support.TestApi.PROBLEM_BASE;
import static dev.spalce.cryptoservice.support.TestApi.assertOldFreshAndMovedUnwrap;
import static dev.spalce.cryptoservice.support.TestApi.mint;
import static dev.spalce.cryptoservice.support.TestApi.mintResponse;
import static dev.spalce.cryptoservice.support.TestApi.moved;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.plaintexts;
import static dev.spalce.cryptoservice.support.TestApi.rewrapResponse;
import static dev.spalce.cryptoservice.support.TestApi.rotate;
import static dev.spalce.cryptoservice.support.TestApi.token;
import static dev.spalce.cryptoservice.support.TestApi.unwrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.keyproviders.testing.AwsKmsTestServer;
import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.ServiceBootContract;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A workspace whose CMK is in AWS KMS, through crypto-service's API: registered by ARN, data keys minted and
 * unwrapped, rotated on demand, rewrapped server side; a throttling KMS is a 503. The real AWS SDK client talks to
 * {@link AwsKmsTestServer}.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class AwsKmsDataKeyApiTest {

    private final AwsKmsTestServer kms = KmsTestServers.aws();

    @TestHTTPResource(value = "/", management = true)
    URL management;

    /**
     * The first AWS SDK call in a JVM loads and initialises the SDK and its Netty event loop, which on a loaded
     * machine can take longer than the tests' 2-second provider deadline: make that call before the tests do, and
     * wait for it, so that no test's assertion depends on it.
     */
    @BeforeEach
    void warmUpTheSdk() {
        // Per test, not @BeforeAll: RestAssured knows the application's port only once a test is about to run.
        if (!warm) {
            String arn = kms.createKey();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> register(newWorkspace(), arn).statusCode() == 201);
            warm = true;
        }
    }

    private static boolean warm;

    @AfterEach
    void kmsAnswersAgain() {
        kms.throttleNext(0);
    }

    @Test
    void registeredAwsKmsKey_mintsUnwrapsRotatesAndRewrapsServerSide() {
        String workspace = newWorkspace();
        String arn = kms.createKey();

        JsonPath registered =
                register(workspace, arn).then().statusCode(201).extract().jsonPath();
        assertThat(registered.getString("provider")).isEqualTo("aws-kms");
        assertThat(registered.getBoolean("keyCreated")).isFalse();
        assertThat(registered.getString("currentKmsKeyId")).isEqualTo("aws-kms:" + arn + "#v1");

        Minted old = mint(workspace, "evidence", "ev-1");
        assertThat(plaintexts(unwrap(workspace, List.of(old.item())))).containsExactly(old.plaintext());
        assertThat(lastEncryptionContext())
                .isEqualTo(Map.of(
                        "spalce:tenant", workspace, "spalce:record-type", "evidence", "spalce:record-id", "ev-1"));

        assertThat(rotate(workspace).getString("currentKmsKeyId")).isEqualTo("aws-kms:" + arn + "#v2");
        Minted fresh = mint(workspace, "evidence", "ev-2");
        kms.clearRequests();
        JsonPath rewrapped = rewrapResponse(workspace, List.of(old.item()))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(fresh.kmsKeyId()).isEqualTo("aws-kms:" + arn + "#v2");
        assertThat(rewrapped.getString("items[0].kmsKeyId")).isEqualTo(fresh.kmsKeyId());
        assertThat(kms.requests())
                .extracting(AwsKmsTestServer.Request::operation)
                .containsExactly("ReEncrypt");
        assertOldFreshAndMovedUnwrap(workspace, old, fresh, moved(old, rewrapped, 0));
    }

    @Test
    void register_anUnknownArnOrAnAlias_isRefusedWithItsOwnType() {
        register(newWorkspace(), "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000")
                .then()
                .statusCode(422)
                .body("type", equalTo(PROBLEM_BASE + "unknown-key-reference"));
        register(newWorkspace(), "arn:aws:kms:eu-west-1:111122223333:alias/tenant")
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"));
        given().auth()
                .oauth2(token(GATEWAY))
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "aws-kms"))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys", newWorkspace())
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "unsupported-key-provider"));
    }

    @Test
    void mint_whileAwsKmsThrottlesBeyondTheRetries_is503WithRetryAfter() {
        String workspace = newWorkspace();
        register(workspace, kms.createKey()).then().statusCode(201);
        kms.throttleNext(1_000);

        mintResponse(workspace, "evidence", "ev-1")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo(PROBLEM_BASE + "dependency-unavailable"));

        assertThat(kms.requests("Encrypt")).hasSizeGreaterThanOrEqualTo(4);
        kms.throttleNext(0);
        mintResponse(workspace, "evidence", "ev-1").then().statusCode(200);
        // The provider's metrics reach Prometheus on the management interface (TLS, the configured test port).
        String metrics = given().baseUri(ServiceBootContract.managementOrigin(management))
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics)
                .containsPattern("spalce_kms_errors_total\\{[^}]*kind=\"throttled\"[^}]*provider=\"aws-kms\"")
                .containsPattern("spalce_kms_retries_total\\{[^}]*provider=\"aws-kms\"")
                .containsPattern(
                        "spalce_kms_requests_seconds_count\\{[^}]*operation=\"wrap\",outcome=\"ok\",provider=\"aws-kms\"");
    }

    private static Response register(String workspace, String arn) {
        return given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "aws-kms", "keyReference", arn))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys", workspace);
    }

    private Map<String, String> lastEncryptionContext() {
        List<AwsKmsTestServer.Request> decrypts = kms.requests("Decrypt");
        Map<String, String> context = new java.util.LinkedHashMap<>();
        decrypts.get(decrypts.size() - 1)
                .body()
                .get("EncryptionContext")
                .fields()
                .forEachRemaining(
                        entry -> context.put(entry.getKey(), entry.getValue().asText()));
        return context;
    }
}
