package dev.spalce.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.contracts.Topic;
import dev.spalce.testsupport.GoldenSamples;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class AuditDurabilityTest {

    private static final int EVENTS = 1500;

    @Test
    void brokerRestartMidStream_losesNothing() throws Exception {
        String workspace = UUID.randomUUID().toString();
        // As evidence-service, one of the services that write audit events.
        Map<String, Object> config = new HashMap<>(Infrastructure.kafkaTls("evidence-service"));
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.KAFKA_BOOTSTRAP,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000"));
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>(
                            Topic.AUDIT.topicName(),
                            workspace,
                            GoldenSamples.withAttributes(
                                    "audit/user.login",
                                    Map.of("id", UUID.randomUUID().toString(), "workspaceid", workspace))));
                    if (i % 100 == 0) {
                        sleep(50);
                    }
                }
                producer.flush();
            });
            sleep(300);

            boolean restarted = Infrastructure.restartKafka();
            assumeThat(restarted)
                    .as("the broker was not started by this repository's runtime")
                    .isTrue();

            sending.get(3, TimeUnit.MINUTES);
        }

        // Every event stored once, in an intact chain: count in = count stored.
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    var report = given().auth()
                            .oauth2(OidcTokens.service(AuditTestEvents.GATEWAY))
                            .when()
                            .get("/internal/v1/workspaces/" + workspace + "/audit-events/verification")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    return report.getBoolean("intact") && report.getLong("entries") == EVENTS;
                });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
