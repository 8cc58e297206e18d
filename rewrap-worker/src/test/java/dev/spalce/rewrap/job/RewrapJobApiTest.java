package dev.spalce.rewrap.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.keys.CmkRotated;
import dev.spalce.contracts.keys.KeyEventType;
import dev.spalce.contracts.keys.RewrapRequested;
import dev.spalce.contracts.rewrap.RewrapProgress;
import dev.spalce.rewrap.support.RewrapTestResource;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.GoldenSamples;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Rewrap jobs as the key events and the job API create and steer them, on the real Kafka broker and PostgreSQL,
 * with internal tokens signed as the gateway signs them.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RewrapTestResource.class, scope = TestResourceScope.GLOBAL)
class RewrapJobApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PROBLEM_BASE = "https://spalce.dev/problems/";
    private static final String KEY = "local:cmk-2d9a4e7c-81b0-4f5e-a3c6-0e9f1b7d5c24";

    @Test
    void cmkRotated_startsAJobForTheNewVersion_andItsRedeliveryChangesNothing() {
        String workspace = newWorkspace();
        String rotated = golden("keys/cmk.rotated", workspace, UUID.randomUUID().toString());

        KafkaTestClient.sendCloudEvent(Topic.KEYS.topicName(), workspace, rotated);
        Map<String, Object> job = awaitJobs(workspace, 1).get(0);
        KafkaTestClient.sendCloudEvent(Topic.KEYS.topicName(), workspace, rotated);
        // An older event arriving late must not move the current version back. Events of one workspace are
        // handled in order, so once this one is handled, so is the redelivery before it.
        String lateRegistration = UUID.randomUUID().toString();
        KafkaTestClient.sendCloudEvent(
                Topic.KEYS.topicName(), workspace, golden("keys/cmk.registered", workspace, lateRegistration));
        await().atMost(WAIT)
                .until(() ->
                        queryInt("SELECT count(*) FROM rewrap.handled_key_event WHERE event_id = ?", lateRegistration)
                                == 1);

        assertThat(queryInt("SELECT current_version FROM rewrap.workspace_key WHERE workspace_id = ?", workspace))
                .isEqualTo(2);
        assertThat(jobs(workspace)).hasSize(1);
        assertThat((String) job.get("targetKmsKeyId")).isEqualTo(KEY + "#v2");
        assertThat((String) job.get("state")).isEqualTo("running");
        assertThat((String) job.get("requestedBy")).isEqualTo("system:rewrap-worker/key-events");
        AuditPayload started =
                EventCodec.data(awaitEvent(Topic.AUDIT, workspace, "rewrap.started"), AuditPayload.class);
        assertThat(started.target()).isEqualTo(new AuditPayload.Target("rewrap-job", (String) job.get("id")));
        assertThat(started.details()).containsEntry("trigger", "cmk.rotated");
        RewrapProgress progress = EventCodec.data(
                awaitEvent(Topic.REWRAP_PROGRESS, workspace, RewrapProgress.TYPE), RewrapProgress.class);
        assertThat(progress.jobId()).isEqualTo(job.get("id"));
        assertThat(progress.state()).isEqualTo(RewrapProgress.State.RUNNING);
    }

    @Test
    void request_forTheCurrentVersion_startsAJobThenJoinsIt() {
        String workspace = newWorkspace();
        sendRegistered(workspace);
        awaitCurrentVersionKnown(workspace);

        Response first = request(workspace, Map.of());
        Response second = request(workspace, Map.of("targetKmsKeyId", KEY + "#v1"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.header("Location"))
                .endsWith("/rewrap-jobs/" + first.jsonPath().getString("id"));
        assertThat(first.jsonPath().getBoolean("joined")).isFalse();
        assertThat(first.jsonPath().getString("requestedBy")).isEqualTo("user:" + GatewayTokens.ownerOf(workspace));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.jsonPath().getBoolean("joined")).isTrue();
        assertThat(second.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
    }

    @Test
    void request_beforeAnyKeyIsKnown_isRefusedAsAProblem() {
        String workspace = newWorkspace();

        request(workspace, Map.of())
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_BASE + "workspace-key-unknown"));
    }

    @Test
    void request_forAnOldVersionOrAMalformedOne_isRefused() {
        String workspace = newWorkspace();
        sendRotated(workspace, 1, 2);
        awaitJobs(workspace, 1);

        request(workspace, Map.of("targetKmsKeyId", KEY + "#v1"))
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM_BASE + "target-not-current"))
                .body(
                        "detail",
                        equalTo("data keys are moved to the current version, " + KEY + "#v2, not to " + KEY + "#v1"));
        request(workspace, Map.of("targetKmsKeyId", "no version"))
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"));
    }

    @Test
    void aNewerRotation_cancelsTheUnfinishedJobForTheOlderVersion() {
        String workspace = newWorkspace();
        sendRotated(workspace, 1, 2);
        String older = (String) awaitJobs(workspace, 1).get(0).get("id");

        sendRotated(workspace, 2, 3);
        List<Map<String, Object>> both = awaitJobs(workspace, 2);

        Map<String, Object> newer = both.get(0);
        assertThat((String) newer.get("targetKmsKeyId")).isEqualTo(KEY + "#v3");
        assertThat((String) newer.get("state")).isEqualTo("running");
        Map<String, Object> superseded = both.get(1);
        assertThat((String) superseded.get("id")).isEqualTo(older);
        assertThat((String) superseded.get("state")).isEqualTo("cancelled");
        assertThat((String) superseded.get("lastError"))
                .isEqualTo("superseded by job " + (String) newer.get("id") + " for " + KEY + "#v3");
        assertThat((String) superseded.get("finishedAt")).isNotNull();
    }

    @Test
    void cmkChanged_startsAJobForTheNewKey_supersedingTheOneForTheOldKey_andRemembersThePreviousProvider() {
        String workspace = newWorkspace();
        sendRotated(workspace, 1, 2);
        String older = (String) awaitJobs(workspace, 1).get(0).get("id");

        KafkaTestClient.sendCloudEvent(
                Topic.KEYS.topicName(),
                workspace,
                golden("keys/cmk.changed", workspace, UUID.randomUUID().toString()));
        List<Map<String, Object>> both = awaitJobs(workspace, 2);

        String target = "pkcs11:cmk-9c41f0d2-5e7a-4b8c-a1d3-6f2e8b0c7a15#v1";
        assertThat((String) both.get(0).get("targetKmsKeyId")).isEqualTo(target);
        assertThat((String) both.get(1).get("id")).isEqualTo(older);
        assertThat((String) both.get(1).get("state")).isEqualTo("cancelled");
        assertThat(queryInt("SELECT current_version FROM rewrap.workspace_key WHERE workspace_id = ?", workspace))
                .as("the new key's first version, though the old key was at its second")
                .isEqualTo(1);
        assertThat(queryInt(
                        "SELECT count(*) FROM rewrap.workspace_key WHERE workspace_id = ? AND previous_provider = 'local'",
                        workspace))
                .isEqualTo(1);
        request(workspace, Map.of()).then().statusCode(200).body("joined", equalTo(true));
        AuditPayload started = EventCodec.data(
                EventCodec.decode(KafkaTestClient.awaitRecord(
                                Topic.AUDIT.topicName(),
                                candidate -> workspace.equals(candidate.key())
                                        && candidate.value().contains(target)
                                        && EventCodec.decode(candidate.value())
                                                .type()
                                                .equals("rewrap.started"),
                                WAIT)
                        .value()),
                AuditPayload.class);
        assertThat(started.details())
                .containsEntry("trigger", "cmk.changed")
                .containsEntry("previousKmsKeyId", "local:cmk-2d9a4e7c-81b0-4f5e-a3c6-0e9f1b7d5c24#v2");
    }

    @Test
    void rewrapRequested_event_startsAJobAttributedToItsRequester() {
        String workspace = newWorkspace();
        sendRegistered(workspace);
        String event = EventCodec.encode(CloudEvent.create(
                "/spalce/auth-gateway",
                KeyEventType.REWRAP_REQUESTED,
                workspace,
                EventCodec.toData(new RewrapRequested(null, Actor.user("carol")))));

        KafkaTestClient.sendCloudEvent(Topic.KEYS.topicName(), workspace, event);

        Map<String, Object> job = awaitJobs(workspace, 1).get(0);
        assertThat((String) job.get("targetKmsKeyId")).isEqualTo(KEY + "#v1");
        assertThat((String) job.get("requestedBy")).isEqualTo("user:carol");
    }

    @Test
    void pauseResumeCancel_followTheJobStateRules_andAreAudited() {
        String workspace = newWorkspace();
        sendRotated(workspace, 1, 2);
        String job = (String) awaitJobs(workspace, 1).get(0).get("id");

        steer(workspace, job, "pause").then().statusCode(200).body("state", equalTo("paused"));
        steer(workspace, job, "pause").then().statusCode(200).body("state", equalTo("paused"));
        steer(workspace, job, "resume").then().statusCode(200).body("state", equalTo("running"));
        steer(workspace, job, "cancel").then().statusCode(200).body("state", equalTo("cancelled"));
        steer(workspace, job, "resume")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_BASE + "invalid-job-state-change"))
                .body("detail", equalTo("a cancelled job cannot become running"));

        for (String action : List.of("rewrap.paused", "rewrap.resumed", "rewrap.cancelled")) {
            AuditPayload audit = EventCodec.data(awaitEvent(Topic.AUDIT, workspace, action), AuditPayload.class);
            assertThat(audit.actor()).as(action).isEqualTo(Actor.user(GatewayTokens.ownerOf(workspace)));
        }
    }

    @Test
    void auditors_readJobs_butOnlyOwnersSteerThem_andOtherWorkspacesSeeNothing() {
        String workspace = newWorkspace();
        sendRotated(workspace, 1, 2);
        String job = (String) awaitJobs(workspace, 1).get(0).get("id");
        String auditor = GatewayTokens.user("auditor-1", workspace, "AUDITOR");
        String contributor = GatewayTokens.user("contributor-1", workspace, "CONTRIBUTOR");
        String otherOwner = GatewayTokens.owner(newWorkspace());

        given().auth()
                .oauth2(auditor)
                .when()
                .get(path(workspace) + "/" + job)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(auditor)
                .when()
                .post(path(workspace) + "/" + job + "/pause")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(contributor).when().get(path(workspace)).then().statusCode(403);
        given().auth()
                .oauth2(otherOwner)
                .when()
                .get(path(workspace) + "/" + job)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(OidcTokens.service("spalce-evidence-service"))
                .when()
                .get(path(workspace))
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(OidcTokens.service("spalce-auth-gateway"))
                .when()
                .get(path(workspace))
                .then()
                .statusCode(200)
                .body("items[0].id", equalTo(job));
        given().when().get(path(workspace)).then().statusCode(401);
        given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .when()
                .get(path(workspace) + "/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEM_BASE + "not-found"));
    }

    private static String newWorkspace() {
        return UUID.randomUUID().toString();
    }

    private static String path(String workspace) {
        return "/internal/v1/workspaces/" + workspace + "/rewrap-jobs";
    }

    private static String golden(String name, String workspace, String eventId) {
        return GoldenSamples.withAttributes(name, Map.of("id", eventId, "workspaceid", workspace));
    }

    private static void sendRegistered(String workspace) {
        KafkaTestClient.sendCloudEvent(
                Topic.KEYS.topicName(),
                workspace,
                golden("keys/cmk.registered", workspace, UUID.randomUUID().toString()));
    }

    private static void sendRotated(String workspace, int from, int to) {
        CmkRotated payload = new CmkRotated(
                "local",
                KEY.substring("local:".length()),
                KEY + "#v" + from,
                from,
                KEY + "#v" + to,
                to,
                CmkRotated.Reason.ON_DEMAND,
                Actor.user(GatewayTokens.ownerOf(workspace)),
                Instant.now().plus(Duration.ofDays(365)));
        KafkaTestClient.sendCloudEvent(
                Topic.KEYS.topicName(),
                workspace,
                EventCodec.encode(CloudEvent.create(
                        "/spalce/crypto-service", KeyEventType.CMK_ROTATED, workspace, EventCodec.toData(payload))));
    }

    private static Response request(String workspace, Map<String, Object> body) {
        return given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(path(workspace));
    }

    private static Response steer(String workspace, String job, String action) {
        return given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .when()
                .post(path(workspace) + "/" + job + "/" + action);
    }

    /** The workspace's jobs, newest first, as the Owner lists them. */
    private static List<Map<String, Object>> jobs(String workspace) {
        return given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .when()
                .get(path(workspace))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    /** Waits until the workspace has {@code count} jobs, exactly one of them running. */
    private static List<Map<String, Object>> awaitJobs(String workspace, int count) {
        return await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> jobs(workspace),
                        found -> found.size() == count
                                && found.stream()
                                                .filter(job -> "running".equals(job.get("state")))
                                                .count()
                                        == 1);
    }

    /** Waits until rewrap-worker has handled the workspace's cmk.registered. */
    private static void awaitCurrentVersionKnown(String workspace) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() ->
                        queryInt("SELECT count(*) FROM rewrap.workspace_key WHERE workspace_id = ?", workspace) == 1);
    }

    /** One integer from rewrap-worker's tables, read as the admin role; -1 when there is no row. */
    private static int queryInt(String sql, String parameter) {
        try (Connection admin = Infrastructure.adminConnection();
                PreparedStatement query = admin.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getInt(1) : -1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CloudEvent awaitEvent(Topic topic, String workspace, String type) {
        ConsumerRecord<String, String> record = KafkaTestClient.awaitRecord(
                topic.topicName(),
                candidate -> workspace.equals(candidate.key())
                        && EventCodec.decode(candidate.value()).type().equals(type),
                WAIT);
        return EventCodec.decode(record.value());
    }
}
