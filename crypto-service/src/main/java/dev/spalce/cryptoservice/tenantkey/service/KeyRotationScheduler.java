package dev.spalce.cryptoservice.tenantkey.service;

import dev.spalce.cryptoservice.tenantkey.config.RotationConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Rotates every workspace's CMK when its rotation period has run out. Several instances may run it at once: each
 * rotation locks its key row with {@code SKIP LOCKED}, so no key is rotated twice for one due date.
 */
@ApplicationScoped
public class KeyRotationScheduler {

    private static final Logger LOG = Logger.getLogger(KeyRotationScheduler.class);

    private final TenantKeyService keys;
    private final RotationConfig config;

    public KeyRotationScheduler(TenantKeyService keys, RotationConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @Scheduled(
            identity = "key-rotation",
            every = "${spalce.crypto.rotation.check-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> rotateDueKeys() {
        return rotateUpTo(config.maxPerRun()).onFailure().recoverWithItem(failure -> {
            LOG.warn("scheduled key rotation run failed; due keys wait for the next run", failure);
            return null;
        });
    }

    private Uni<Void> rotateUpTo(int remaining) {
        if (remaining <= 0) {
            return Uni.createFrom().voidItem();
        }
        return keys.rotateNextDue()
                .chain((Optional<String> attempted) -> attempted.isPresent()
                        ? rotateUpTo(remaining - 1)
                        : Uni.createFrom().voidItem());
    }
}
