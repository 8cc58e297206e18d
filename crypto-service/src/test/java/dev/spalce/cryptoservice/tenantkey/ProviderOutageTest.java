package dev.spalce.cryptoservice.tenantkey;

import static dev.spalce.cryptoservice.support.TestApi.GATEWAY;
import static dev.spalce.cryptoservice.support.TestApi.PROBLEM_BASE;
import static dev.spalce.cryptoservice.support.TestApi.cmk;
import static dev.spalce.cryptoservice.support.TestApi.mint;
import static dev.spalce.cryptoservice.support.TestApi.mintResponse;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.register;
import static dev.spalce.cryptoservice.support.TestApi.rewrapResponse;
import static dev.spalce.cryptoservice.support.TestApi.token;
import static dev.spalce.cryptoservice.support.TestApi.unwrapResponse;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.OutageKeyProvider;
import dev.spalce.cryptoservice.support.OutageKeyProvider.Mode;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Key providers that fail: an outage or a hang is always 503 with retry advice, never a wrong answer and never
 * half-done; a revoked or disabled key is its own, final error. Also: how batches use a provider.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class ProviderOutageTest {

    @AfterEach
    void providerBackUp() {
        OutageKeyProvider.set(Mode.UP);
    }

    @Test
    void mint_whileTheProviderIsDown_is503WithRetryAfter() {
        String workspace = newWorkspace();
        register(workspace, OutageKeyProvider.ID);
        OutageKeyProvider.set(Mode.DOWN);

        mintResponse(workspace, "evidence", "ev-1")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo(PROBLEM_BASE + "dependency-unavailable"));
    }

    @Test
    void batches_whileTheProviderIsDown_failWholeWith503RatherThanItemByItem() {
        String workspace = newWorkspace();
        register(workspace, OutageKeyProvider.ID);
        Minted minted = mint(workspace, "evidence", "ev-1");
        OutageKeyProvider.set(Mode.DOWN);

        unwrapResponse(workspace, List.of(minted.item(), minted.item()))
                .then()
                .statusCode(503)
                .header("Retry-After", "5");
        rewrapResponse(workspace, List.of(minted.item())).then().statusCode(503);

        OutageKeyProvider.set(Mode.UP);
        unwrapResponse(workspace, List.of(minted.item())).then().statusCode(200).body("failed", equalTo(0));
    }

    @Test
    void mint_whenTheProviderHangs_is503AtTheDeadline() {
        String workspace = newWorkspace();
        register(workspace, OutageKeyProvider.ID);
        OutageKeyProvider.set(Mode.HANGING);
        Instant start = Instant.now();

        mintResponse(workspace, "evidence", "ev-1")
                .then()
                .statusCode(503)
                .body("type", equalTo(PROBLEM_BASE + "dependency-unavailable"));

        // The deadline is 2 s in tests; the provider would take 4 s.
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMillis(3_800));
    }

    @Test
    void revokedOrDisabledKeys_areFinalErrorsOfTheirOwnTypes_not503() {
        String workspace = newWorkspace();
        register(workspace, OutageKeyProvider.ID);
        Minted minted = mint(workspace, "evidence", "ev-1");

        OutageKeyProvider.set(Mode.REVOKED);
        mintResponse(workspace, "evidence", "ev-2")
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM_BASE + "key-access-denied"))
                .header("Retry-After", org.hamcrest.Matchers.nullValue());
        OutageKeyProvider.set(Mode.DISABLED);
        JsonPath unwrapped = unwrapResponse(workspace, List.of(minted.item()))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(unwrapped.getString("items[0].error.type")).isEqualTo(PROBLEM_BASE + "key-version-disabled");
    }

    @Test
    void batchUnwrap_runsProviderCallsConcurrentlyOffTheEventLoop_withinThePoolBound() {
        String workspace = newWorkspace();
        register(workspace, OutageKeyProvider.ID);
        Minted minted = mint(workspace, "evidence", "ev-1");
        OutageKeyProvider.set(Mode.SLOW);
        OutageKeyProvider.resetObservations();
        Instant start = Instant.now();

        JsonPath unwrapped = unwrapResponse(workspace, java.util.Collections.nCopies(40, minted.item()))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(unwrapped.getInt("failed")).isZero();
        // 40 calls of 50 ms: sequentially 2 s; the pool has 8 threads.
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMillis(1_500));
        assertThat(OutageKeyProvider.maxConcurrentCalls()).isBetween(2, 8);
        assertThat(OutageKeyProvider.callThreads())
                .allSatisfy(name -> assertThat(name).startsWith("key-provider-"));
    }

    @Test
    void rotate_whileTheProviderIsDown_is503AndChangesNothing() throws Exception {
        String workspace = newWorkspace();
        register(workspace, OutageKeyProvider.ID);
        OutageKeyProvider.set(Mode.DOWN);

        given().auth()
                .oauth2(token(GATEWAY))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys/rotations", workspace)
                .then()
                .statusCode(503)
                .header("Retry-After", "5");

        OutageKeyProvider.set(Mode.UP);
        JsonPath view = cmk(workspace);
        assertThat(view.getInt("currentVersion")).isEqualTo(1);
        assertThat(view.getList("versions")).hasSize(1);
        assertThat(rotationEventsEverWritten(workspace)).isZero();
    }

    @Test
    void scheduledRotation_whileTheProviderIsDown_isRecordedAndRetriedLater() throws Exception {
        String workspace = newWorkspace();
        register(workspace, OutageKeyProvider.ID);
        OutageKeyProvider.set(Mode.DOWN);

        ScheduledRotationTest.makeDue(workspace, Duration.ofMinutes(1));

        await().atMost(Duration.ofSeconds(30)).until(() -> cmk(workspace).getInt("rotationFailures") == 1);
        JsonPath view = cmk(workspace);
        assertThat(view.getInt("currentVersion")).isEqualTo(1);
        assertThat(Instant.parse(view.getString("nextRotationAt")))
                .isCloseTo(Instant.now().plus(Duration.ofHours(1)), within(2, ChronoUnit.MINUTES));
        assertThat(rotationEventsEverWritten(workspace)).isZero();
    }

    /** Rotation events of the workspace in the outbox or already on Kafka's audit trail table of this service. */
    private static int rotationEventsEverWritten(String workspace) throws Exception {
        try (Connection admin = Infrastructure.adminConnection();
                PreparedStatement query = admin.prepareStatement("SELECT count(*) FROM " + CryptoTestResource.SCHEMA
                        + ".outbox_message WHERE message_key = ? AND payload LIKE '%cmk.rotated%'")) {
            query.setString(1, workspace);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                int pending = result.getInt(1);
                long published = dev.spalce.testsupport.KafkaTestClient.records(
                                dev.spalce.contracts.Topic.KEYS.topicName(), Duration.ofSeconds(30))
                        .stream()
                        .filter(r -> workspace.equals(r.key()) && r.value().contains("cmk.rotated"))
                        .count();
                return pending + (int) published;
            }
        }
    }
}
