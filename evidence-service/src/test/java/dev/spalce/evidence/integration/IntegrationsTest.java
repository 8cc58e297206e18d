package dev.spalce.evidence.integration;

import static dev.spalce.evidence.support.TestApi.owner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.spalce.contracts.Topic;
import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class IntegrationsTest {

    private static final String BASE = "/internal/v1/workspaces/{ws}/integrations";

    /** Found by the gateway's API fuzzer: a body without credentials used to fail validation's own report (500). */
    @Test
    void connect_withoutCredentialsOrWithWrongTypes_is400InvalidRequest() {
        String workspace = TestApi.newWorkspace();
        for (String body : new String[] {
            "{\"kind\": \"aws\", \"name\": \"no credentials\"}",
            "{\"name\": 12, \"role\": [], \"email\": {}, \"provider\": true}",
            "{}"
        }) {
            owner(workspace)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .when()
                    .post(BASE, workspace)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://spalce.dev/problems/invalid-request"));
        }
    }

    @Test
    void connectedCredentials_areStoredEncryptedReturnedMaskedAndNeverLogged() throws Exception {
        String workspace = TestApi.newWorkspace();
        String secretKey = "wJalrXUtnFEMI/K7MDENG/" + UUID.randomUUID();
        String accessKey = "AKIA"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();

        String id = owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "kind",
                        "aws",
                        "name",
                        "production account",
                        "credentials",
                        Map.of("accessKeyId", accessKey, "secretAccessKey", secretKey)))
                .when()
                .post(BASE, workspace)
                .then()
                .statusCode(201)
                .body("credentials.secretAccessKey", equalTo("****" + secretKey.substring(secretKey.length() - 4)))
                .body("credentials.accessKeyId", equalTo("****" + accessKey.substring(accessKey.length() - 4)))
                .extract()
                .path("id");
        // A refused request carrying a secret must not echo it or log it either.
        String refusedSecret = "refused-" + UUID.randomUUID();
        String refused = owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "ftp", "name", "x", "credentials", Map.of("password", refusedSecret)))
                .when()
                .post(BASE, workspace)
                .then()
                .statusCode(400)
                .extract()
                .asString();
        assertThat(refused).doesNotContain(refusedSecret);

        String listed = owner(workspace)
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .extract()
                .asString();
        String single = owner(workspace)
                .when()
                .get(BASE + "/{id}", workspace, id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (String answer : List.of(listed, single)) {
            assertThat(answer).doesNotContain(secretKey).doesNotContain(accessKey);
        }
        String raw = TestApi.dump(TestApi.rawRows("SELECT * FROM {schema}.integration WHERE id = ?::uuid", id));
        assertThat(raw).doesNotContain(secretKey).doesNotContain(accessKey).doesNotContain(secretKey.substring(0, 12));
        var event = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace) && r.value().contains("integration.connected"),
                Duration.ofSeconds(30));
        assertThat(event.value()).doesNotContain(secretKey).doesNotContain(accessKey);

        // The logs of this run: this service's (surefire captures its console into the reports and the
        // configured log file) and the crypto-service process's.
        for (Path log : logs()) {
            String content = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(content)
                    .as(log.toString())
                    .doesNotContain(secretKey)
                    .doesNotContain(accessKey)
                    .doesNotContain(refusedSecret);
        }
    }

    @Test
    void disconnect_removesTheIntegrationAndOtherWorkspacesSee404() {
        String workspace = TestApi.newWorkspace();
        String stranger = TestApi.newWorkspace();
        String id = owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "api-token", "name", "scanner", "credentials", Map.of("token", "short")))
                .when()
                .post(BASE, workspace)
                .then()
                .statusCode(201)
                .body("credentials.token", equalTo("****"))
                .extract()
                .path("id");

        owner(stranger).when().get(BASE + "/{id}", stranger, id).then().statusCode(404);
        owner(stranger).when().delete(BASE + "/{id}", stranger, id).then().statusCode(404);
        owner(workspace).when().delete(BASE + "/{id}", workspace, id).then().statusCode(204);
        owner(workspace).when().get(BASE + "/{id}", workspace, id).then().statusCode(404);
    }

    private static List<Path> logs() throws Exception {
        List<Path> logs = new java.util.ArrayList<>();
        for (Path dir : List.of(Path.of("target", "service-logs"), Path.of("target"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(file -> file.toString().endsWith(".log")).forEach(logs::add);
                }
            }
        }
        assertThat(logs).as("log files to scan").isNotEmpty();
        return logs;
    }
}
