package dev.spalce.cryptoservice.tenantkey;

import static dev.spalce.cryptoservice.support.TestApi.cmk;
import static dev.spalce.cryptoservice.support.TestApi.mint;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.plaintexts;
import static dev.spalce.cryptoservice.support.TestApi.register;
import static dev.spalce.cryptoservice.support.TestApi.unwrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.contracts.keys.CmkRotated;
import dev.spalce.contracts.keys.KeyEventType;
import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rotation scheduler (every second in tests) on real rows, as several instances would share them. */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class ScheduledRotationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Scheduler scheduler;

    @Test
    void dueKey_isRotatedByTheScheduler_once_andOldDeksStillUnwrap() throws Exception {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted old = mint(workspace, "evidence", "ev-1");

        makeDue(workspace, Duration.ofMinutes(1));

        await().atMost(WAIT).until(() -> cmk(workspace).getInt("currentVersion") == 2);
        CmkRotated event = EventCodec.data(
                KeyEventsTest.awaitEvent(Topic.KEYS, workspace, KeyEventType.CMK_ROTATED), CmkRotated.class);
        assertThat(event.reason()).isEqualTo(CmkRotated.Reason.SCHEDULED);
        assertThat(event.rotatedBy()).isEqualTo(AuditPayload.Actor.system("crypto-service/key-rotation"));
        assertThat(event.nextRotationAt())
                .isCloseTo(Instant.now().plus(Duration.ofDays(365)), within(1, ChronoUnit.MINUTES));
        AuditPayload audit =
                EventCodec.data(KeyEventsTest.awaitEvent(Topic.AUDIT, workspace, "cmk.rotated"), AuditPayload.class);
        assertThat(audit.details()).containsEntry("reason", "scheduled");
        assertThat(mint(workspace, "evidence", "ev-2").kmsKeyId()).endsWith("#v2");
        assertThat(plaintexts(unwrap(workspace, List.of(old.item())))).containsExactly(old.plaintext());
        // Rotated once: the next rotation is a year away, however many scheduler runs pass.
        Thread.sleep(3_000);
        assertThat(cmk(workspace).getInt("currentVersion")).isEqualTo(2);
    }

    /**
     * Another instance rotating (or an on-demand rotation) holds a due key's row lock: the scheduler skips that key
     * without waiting or failing, rotates the next due key meanwhile, and rotates the locked one once it is free.
     */
    @Test
    void dueKeyLockedElsewhere_isSkippedWithoutBlockingOthers_andRotatedOnceReleased() throws Exception {
        String locked = newWorkspace();
        String free = newWorkspace();
        register(locked, "local");
        register(free, "local");
        scheduler.pause("key-rotation");
        try (Connection otherInstance = Infrastructure.adminConnection()) {
            // Let a run that started before the pause finish.
            Thread.sleep(1_500);
            makeDue(locked, Duration.ofMinutes(2));
            makeDue(free, Duration.ofMinutes(1));
            otherInstance.setAutoCommit(false);
            try (PreparedStatement lock = otherInstance.prepareStatement(
                    "SELECT 1 FROM " + CryptoTestResource.SCHEMA + ".tenant_key WHERE workspace_id = ? FOR UPDATE")) {
                lock.setString(1, locked);
                lock.executeQuery();
            }
            scheduler.resume("key-rotation");

            await().atMost(WAIT).until(() -> cmk(free).getInt("currentVersion") == 2);
            Thread.sleep(2_000);
            assertThat(cmk(locked).getInt("currentVersion")).isEqualTo(1);
            assertThat(cmk(locked).getInt("rotationFailures")).isZero();

            otherInstance.rollback();
        } finally {
            scheduler.resume("key-rotation");
        }
        await().atMost(WAIT).until(() -> cmk(locked).getInt("currentVersion") == 2);
    }

    static void makeDue(String workspace, Duration ago) throws SQLException {
        try (Connection admin = Infrastructure.adminConnection();
                PreparedStatement update = admin.prepareStatement("UPDATE " + CryptoTestResource.SCHEMA
                        + ".tenant_key SET next_rotation_at = now() - make_interval(secs => ?) "
                        + "WHERE workspace_id = ?")) {
            update.setDouble(1, ago.toSeconds());
            update.setString(2, workspace);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
