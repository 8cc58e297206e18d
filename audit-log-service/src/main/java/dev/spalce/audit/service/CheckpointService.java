package dev.spalce.audit.service;

import dev.spalce.audit.config.AuditConfig;
import dev.spalce.audit.model.AuditCheckpoint;
import dev.spalce.audit.repository.CheckpointRepository;
import dev.spalce.auditchain.ChainHash;
import dev.spalce.auditchain.CheckpointSigner;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Signs, at a fixed interval, every workspace chain head that moved since its last checkpoint. Created at
 * start-up so that a missing or invalid signing key stops the service at once rather than at the first
 * checkpoint.
 */
@Startup
@ApplicationScoped
public class CheckpointService {

    private static final Logger LOG = Logger.getLogger(CheckpointService.class);

    private final CheckpointRepository checkpoints;
    private final CheckpointSigner signer;

    public CheckpointService(CheckpointRepository checkpoints, AuditConfig config) {
        this.checkpoints = checkpoints;
        this.signer = signer(config.checkpoint());
        LOG.infof("audit checkpoints are signed with Ed25519 key %s", signer.keyId());
    }

    private static CheckpointSigner signer(AuditConfig.Checkpoint config) {
        if (config.privateKey().isPresent() && config.publicKey().isPresent()) {
            return CheckpointSigner.fromBase64(config.privateKey().get(), config.publicKey().get());
        }
        if (!config.allowEphemeralKey()) {
            throw new IllegalStateException("spalce.audit.checkpoint.private-key and public-key are required "
                    + "(SPALCE_AUDIT_CHECKPOINT_PRIVATE_KEY / SPALCE_AUDIT_CHECKPOINT_PUBLIC_KEY)");
        }
        LOG.warn("no checkpoint signing key configured: signing with a key generated at start-up");
        return CheckpointSigner.ephemeral();
    }

    @Scheduled(every = "${spalce.audit.checkpoint.interval:5m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> signOnSchedule() {
        return signUncoveredHeads().replaceWithVoid();
    }

    /** Signs every head not covered by a checkpoint; returns how many it signed. */
    public Uni<Integer> signUncoveredHeads() {
        return Panache.withTransaction(() -> checkpoints.uncoveredHeads().chain(heads -> Multi.createFrom()
                .iterable(heads)
                .onItem().transformToUniAndConcatenate(head -> checkpoints.insertIfAbsent(AuditCheckpoint.of(
                        signer.sign(head.workspaceId(), head.seq(), ChainHash.of(head.entryHash()), Instant.now()))))
                .collect().with(Collectors.summingInt(Integer::intValue))));
    }

    /** The public key auditors trust, X.509 SubjectPublicKeyInfo DER. */
    public byte[] publicKey() {
        return signer.publicKey();
    }

    public String keyId() {
        return signer.keyId();
    }
}
