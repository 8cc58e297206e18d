package dev.spalce.gateway.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.gateway.workspace.GatewayClient;
import dev.spalce.testsupport.Infrastructure;
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
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The rewrap progress stream is authorized again while it is open (every second in tests, at most every 60 s in
 * production, and at once on a membership change): a viewer who loses access loses the stream.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class StreamReauthorizationTest {

    @TestHTTPResource("/")
    URL base;

    /** Opens the stream; completes with the reason of its {@code closed} event once the gateway ends it. */
    private CompletableFuture<String> open(GatewayClient viewer, String workspace) throws Exception {
        HttpRequest subscribe = HttpRequest.newBuilder(
                        URI.create(base + "api/v1/workspaces/" + workspace + "/rewrap-progress"))
                .header("Authorization", "Bearer " + viewer.token())
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<java.io.InputStream> stream =
                HttpClient.newHttpClient().send(subscribe, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        return CompletableFuture.supplyAsync(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                boolean closing = false;
                while ((line = lines.readLine()) != null) {
                    if (line.equals("event: closed")) {
                        closing = true;
                    } else if (closing && line.startsWith("data:")) {
                        return line.substring(5).strip();
                    }
                }
                return "ended without a closed event";
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static void sql(String statement) throws Exception {
        try (Connection admin = Infrastructure.adminConnection()) {
            admin.createStatement().executeUpdate(statement);
        }
    }

    @Test
    void removedMember_losesTheStream() throws Exception {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        GatewayClient coOwner = GatewayClient.signIn("co-owner-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Streams");
        owner.addMember(workspace, coOwner, "OWNER");
        CompletableFuture<String> removed = open(coOwner, workspace);
        CompletableFuture<String> staying = open(owner, workspace);

        owner.delete("/api/v1/workspaces/" + workspace + "/members/" + coOwner.subject())
                .statusCode(204);

        assertThat(removed.get(10, TimeUnit.SECONDS)).isEqualTo("{\"reason\":\"access-revoked\"}");
        // The Owner who stays keeps theirs, through several re-authorizations.
        try {
            staying.get(3, TimeUnit.SECONDS);
            throw new AssertionError("the stream of a member who stays was closed");
        } catch (TimeoutException stillOpen) {
            staying.cancel(true);
        }
    }

    @Test
    void auditorWhoseAccessEnds_losesTheStream() throws Exception {
        GatewayClient owner = GatewayClient.signIn("owner-" + UUID.randomUUID());
        GatewayClient auditor = GatewayClient.signIn("auditor-" + UUID.randomUUID());
        String workspace = owner.createWorkspace("Audited stream");
        String token = owner.post(
                        "/api/v1/workspaces/" + workspace + "/invitations",
                        Map.of(
                                "email",
                                auditor.subject() + "@example.com",
                                "accessUntil",
                                Instant.now().plus(Duration.ofDays(1)).toString()))
                .statusCode(201)
                .extract()
                .path("token");
        auditor.post("/api/v1/invitations/accept", Map.of("token", token)).statusCode(200);
        CompletableFuture<String> stream = open(auditor, workspace);

        // The access ends in the database only: no change goes through the gateway, the periodic check finds it.
        sql("UPDATE gateway.membership SET access_expires_at = now() WHERE workspace_id = '" + workspace
                + "' AND subject = '" + auditor.subject() + "'");

        assertThat(stream.get(10, TimeUnit.SECONDS)).isEqualTo("{\"reason\":\"access-revoked\"}");
    }
}
