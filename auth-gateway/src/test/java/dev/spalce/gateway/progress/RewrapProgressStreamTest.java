package dev.spalce.gateway.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.gateway.workspace.GatewayClient;
import dev.spalce.testsupport.GoldenSamples;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The dashboard's live view: rewrap-worker's golden progress event, through Kafka, out as server-sent events. */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class RewrapProgressStreamTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void progressOfTheWorkspace_isStreamed_andAnotherWorkspacesIsNot() throws Exception {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Rewrapping");
        String elsewhere = UUID.randomUUID().toString();
        HttpRequest subscribe = HttpRequest.newBuilder(
                        URI.create(base + "api/v1/workspaces/" + workspace + "/rewrap-progress"))
                .header("Authorization", "Bearer " + owner.token())
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<java.io.InputStream> stream =
                HttpClient.newHttpClient().send(subscribe, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);

        CompletableFuture<String> firstEvent = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        return line.substring(5).strip();
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // The gateway reads from the latest offset once its consumer has joined: send until the stream has one.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!firstEvent.isDone() && System.nanoTime() < deadline) {
            KafkaTestClient.sendCloudEvent(
                    Topic.REWRAP_PROGRESS.topicName(),
                    elsewhere,
                    GoldenSamples.withAttributes(
                            "rewrap/rewrap.progress",
                            Map.of("id", UUID.randomUUID().toString(), "workspaceid", elsewhere)));
            KafkaTestClient.sendCloudEvent(
                    Topic.REWRAP_PROGRESS.topicName(),
                    workspace,
                    GoldenSamples.withAttributes(
                            "rewrap/rewrap.progress",
                            Map.of("id", UUID.randomUUID().toString(), "workspaceid", workspace)));
            Thread.sleep(500);
        }

        String data = firstEvent.get(5, TimeUnit.SECONDS);
        assertThat(data)
                .contains("\"jobId\":\"3e0f6a21-7b8c-4d9e-a1f2-b3c4d5e6f708\"")
                .contains("\"state\":\"running\"")
                .contains("\"done\":41250")
                .contains("\"total\":100000");
    }

    @Test
    void progressStream_ofAWorkspaceOneMayNotSee_is404() {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Not yours");

        GatewayClient.signIn("stranger-" + UUID.randomUUID())
                .get("/api/v1/workspaces/" + workspace + "/rewrap-progress")
                .statusCode(404);
    }

    @Test
    void openingTheStream_isAudited_withTheViewerAndTheClientsAddress() throws Exception {
        GatewayClient auditor = GatewayClient.signIn("owner-" + UUID.randomUUID());
        String workspace = auditor.createWorkspace("Watched");
        HttpRequest subscribe = HttpRequest.newBuilder(
                        URI.create(base + "api/v1/workspaces/" + workspace + "/rewrap-progress"))
                .header("Authorization", "Bearer " + auditor.token())
                .header("X-Request-Id", "progress-" + workspace)
                .build();
        HttpResponse<java.io.InputStream> stream =
                HttpClient.newHttpClient().send(subscribe, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        stream.body().close();

        var subscribed = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> workspace.equals(r.key()) && r.value().contains(AuditAction.REWRAP_PROGRESS_SUBSCRIBED),
                Duration.ofSeconds(30));
        AuditPayload payload = EventCodec.data(EventCodec.decode(subscribed.value()), AuditPayload.class);
        assertThat(payload.actor().subject()).isEqualTo(auditor.subject());
        assertThat(payload.sourceAddress()).isEqualTo("127.0.0.1");
        assertThat(payload.requestId()).isEqualTo("progress-" + workspace);
    }

    @Test
    void refusedStream_isNotAuditedAsASubscription() {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Refused");
        GatewayClient.signIn("stranger-" + UUID.randomUUID())
                .get("/api/v1/workspaces/" + workspace + "/rewrap-progress")
                .statusCode(404);

        assertThat(KafkaTestClient.records(Topic.AUDIT.topicName(), Duration.ofSeconds(30)))
                .noneMatch(
                        r -> workspace.equals(r.key()) && r.value().contains(AuditAction.REWRAP_PROGRESS_SUBSCRIBED));
    }
}
