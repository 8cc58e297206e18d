package dev.spalce.gateway.readaudit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.gateway.workspace.GatewayClient;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Reads are audited in aggregate: one {@code resource.read} event per actor, resource, address and window (2 s in
 * the test profile), with the count, the first read's request id and the client's address.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class ReadAuditTest {

    private static final int READS = 6;

    @Test
    void manyReadsOfOneResource_becomeFewerEventsCountingEveryRead_withTheClientsAddress() {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Read often");
        List<String> requestIds = new ArrayList<>();
        for (int i = 0; i < READS; i++) {
            String requestId = "read-audit-" + UUID.randomUUID();
            requestIds.add(requestId);
            given().auth()
                    .oauth2(owner.token())
                    .header("X-Request-Id", requestId)
                    .get("/api/v1/workspaces/" + workspace + "/members")
                    .then()
                    .statusCode(200);
        }

        List<AuditPayload> events = readEventsOf(workspace, "members", READS);

        // Six reads a few milliseconds apart fall in one 2-second window, or straddle one boundary at most.
        assertThat(events).hasSizeBetween(1, 2);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.actor().subject()).isEqualTo(owner.subject());
            assertThat(event.sourceAddress()).isEqualTo("127.0.0.1");
            assertThat(requestIds).contains(event.requestId());
            assertThat(event.details()).containsKeys("windowStart", "windowEnd");
        });
        assertThat(events.get(0).requestId()).isEqualTo(requestIds.get(0));
    }

    @Test
    void concurrentReadsOfOneResource_areEachCountedOnce() throws Exception {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Read at once");
        int concurrentReads = 40;
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest read = HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + RestAssured.port + "/api/v1/workspaces/" + workspace + "/members"))
                .header("Authorization", "Bearer " + owner.token())
                .build();

        List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
        for (int i = 0; i < concurrentReads; i++) {
            answers.add(http.sendAsync(read, HttpResponse.BodyHandlers.discarding()));
        }
        for (CompletableFuture<HttpResponse<Void>> answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }

        // Reads that wait on one row's write are written together: the counts still add up to every read served.
        List<AuditPayload> events = readEventsOf(workspace, "members", concurrentReads);
        assertThat(events).hasSizeBetween(1, 2);
    }

    @Test
    void refusedRead_isNotCountedAsARead() {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        GatewayClient stranger = GatewayClient.signIn("stranger-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Not yours");
        stranger.get("/api/v1/workspaces/" + workspace + "/members").statusCode(404);
        owner.get("/api/v1/workspaces/" + workspace).statusCode(200);

        List<AuditPayload> events = readEventsOf(workspace, "workspace", 1);

        assertThat(events)
                .singleElement()
                .satisfies(event -> assertThat(event.actor().subject()).isEqualTo(owner.subject()));
        assertThat(readEventsOf(workspace, "members", 0)).isEmpty();
    }

    /** The workspace's resource.read events of {@code resource}, once their counts add up to {@code reads}. */
    private static List<AuditPayload> readEventsOf(String workspace, String resource, int reads) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<AuditPayload> events = new ArrayList<>();
            for (ConsumerRecord<String, String> record :
                    KafkaTestClient.records(Topic.AUDIT.topicName(), Duration.ofSeconds(30))) {
                // The topic is shared by the whole run, where other tests publish malformed events on purpose:
                // only this workspace's records are read.
                if (!workspace.equals(record.key())) {
                    continue;
                }
                var event = EventCodec.decode(record.value());
                if (AuditAction.RESOURCE_READ.equals(event.type())) {
                    AuditPayload payload = EventCodec.data(event, AuditPayload.class);
                    if (payload.target().id().equals(resource)) {
                        events.add(payload);
                    }
                }
            }
            int counted = events.stream()
                    .mapToInt(event -> Integer.parseInt(event.details().get("reads")))
                    .sum();
            if (counted == reads
                    && (reads > 0
                            || System.nanoTime()
                                    > deadline - Duration.ofSeconds(25).toNanos())) {
                return events;
            }
            assertThat(counted).as("reads counted so far").isLessThanOrEqualTo(reads);
            assertThat(System.nanoTime()).as("all reads counted in time").isLessThan(deadline);
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
