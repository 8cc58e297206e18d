package dev.spalce.audit.service;

import dev.spalce.audit.anchor.CheckpointAnchor;
import dev.spalce.audit.anchor.CheckpointPublisher;
import dev.spalce.audit.config.AuditConfig;
import dev.spalce.audit.model.AuditCheckpoint;
import dev.spalce.audit.repository.CheckpointRepository;
import dev.spalce.audit.repository.CheckpointRepository.UncoveredHead;
import dev.spalce.audit.signing.SigningKeys;
import dev.spalce.auditchain.ChainHash;
import dev.spalce.auditchain.Checkpoint;
import dev.spalce.auditchain.CheckpointSigner;
import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.kit.audit.AuditTrail;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Signs, at a fixed interval, every workspace chain head that moved since its last checkpoint, and anchors each
 * checkpoint outside the database (the write-once bucket, then the checkpoints topic) before storing it in the
 * table. Checkpoints are monotonic: a head at or below a sequence number already signed, or one whose chain
 * contradicts a signed hash, is refused — never re-signed — and raises an alarm (an error log line, the metric
 * {@code spalce.audit.checkpoint.refused} and an {@code audit.checkpoint.refused} event in the platform log). What
 * was signed last is read from the anchor, which the database's credentials cannot rewrite. Created at start-up
 * so that a missing or invalid signing key stops the service at once.
 */
@Startup
@ApplicationScoped
public class CheckpointService {

    private static final Logger LOG = Logger.getLogger(CheckpointService.class);

    private final CheckpointRepository checkpoints;
    private final CheckpointSigner signer;
    private final CheckpointAnchor anchor;
    private final CheckpointPublisher publisher;
    private final AuditTrail auditTrail;
    private final MeterRegistry metrics;
    private final boolean anchored;
    /** The newest checkpoint this instance signed or read from the anchor, per workspace. */
    private final Map<String, Checkpoint> lastSigned = new ConcurrentHashMap<>();
    /** Heads already alarmed about, so a standing refusal raises one alarm, not one per interval. */
    private final Set<String> alarmed = ConcurrentHashMap.newKeySet();

    public CheckpointService(
            CheckpointRepository checkpoints,
            SigningKeys keys,
            CheckpointAnchor anchor,
            CheckpointPublisher publisher,
            AuditTrail auditTrail,
            MeterRegistry metrics,
            AuditConfig config) {
        this.checkpoints = checkpoints;
        this.signer = keys.signer();
        this.anchor = anchor;
        this.publisher = publisher;
        this.auditTrail = auditTrail;
        this.metrics = metrics;
        this.anchored = config.anchor().enabled();
        if (!anchored) {
            LOG.warn("checkpoint anchoring is OFF: checkpoints live only in the database, which can lose them");
        }
    }

    @Scheduled(
            identity = "audit-checkpoints",
            every = "${spalce.audit.checkpoint.interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> signOnSchedule() {
        return signUncoveredHeads()
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warn("checkpoint run failed; the heads are signed on the next run", failure);
                    return 0;
                })
                .replaceWithVoid();
    }

    /** Signs every head not covered by a checkpoint and not refused; returns how many it signed. */
    public Uni<Integer> signUncoveredHeads() {
        Context context = Vertx.currentContext();
        Executor onContext = task -> context.runOnContext(ignored -> task.run());
        return Panache.withSession(checkpoints::uncoveredHeads)
                .chain(heads -> Multi.createFrom()
                        .iterable(heads)
                        .onItem()
                        .transformToUniAndConcatenate(head -> signIfMonotonic(head, onContext))
                        .collect()
                        .with(Collectors.summingInt(Integer::intValue)));
    }

    private Uni<Integer> signIfMonotonic(UncoveredHead head, Executor onContext) {
        ChainHash headHash = ChainHash.of(head.entryHash());
        return lastSigned(head.workspaceId(), onContext).chain(last -> {
            if (last.isEmpty()) {
                return sign(head, headHash, onContext);
            }
            Checkpoint signed = last.get();
            if (head.seq() < signed.seq()) {
                return refuse(
                        head,
                        headHash,
                        "the chain ends at seq " + head.seq() + " but seq " + signed.seq()
                                + " was signed: entries were removed or the log was rolled back");
            }
            if (head.seq() == signed.seq()) {
                if (!headHash.equals(signed.entryHash())) {
                    return refuse(head, headHash, "the entry at seq " + head.seq() + " differs from the one signed");
                }
                // Signed and anchored, but not in the table (it was lost between the two): put it back.
                return Panache.withTransaction(() -> checkpoints.insertIfAbsent(AuditCheckpoint.of(signed)))
                        .replaceWith(0);
            }
            return Panache.withSession(() -> checkpoints.entryHashAt(head.workspaceId(), signed.seq()))
                    .chain(hash -> hash.map(ChainHash::of)
                                    .filter(signed.entryHash()::equals)
                                    .isPresent()
                            ? sign(head, headHash, onContext)
                            : refuse(
                                    head,
                                    headHash,
                                    "the entry at seq " + signed.seq() + " is missing or differs from the one signed"));
        });
    }

    private Uni<Optional<Checkpoint>> lastSigned(String workspaceId, Executor onContext) {
        Checkpoint known = lastSigned.get(workspaceId);
        if (known != null) {
            return Uni.createFrom().item(Optional.of(known));
        }
        Uni<Optional<Checkpoint>> read = anchored
                ? blocking(() -> anchor.latest(workspaceId), onContext)
                // Without an anchor only the table is left to remember (which its owner can rewrite).
                : Panache.withSession(() -> checkpoints.latest(workspaceId))
                        .map(row -> row.map(AuditCheckpoint::toCheckpoint));
        return read.invoke(found ->
                found.ifPresent(checkpoint -> lastSigned.merge(workspaceId, checkpoint, CheckpointService::newer)));
    }

    private Uni<Integer> sign(UncoveredHead head, ChainHash headHash, Executor onContext) {
        Checkpoint checkpoint = signer.sign(head.workspaceId(), head.seq(), headHash, Instant.now());
        Uni<Void> anchoring = anchored
                ? blocking(
                                () -> {
                                    anchor.put(checkpoint);
                                    return null;
                                },
                                onContext)
                        .chain(() -> publisher.publish(checkpoint))
                        .emitOn(onContext)
                : Uni.createFrom().voidItem();
        return anchoring
                .chain(() -> Panache.withTransaction(() -> checkpoints.insertIfAbsent(AuditCheckpoint.of(checkpoint))))
                .invoke(() -> lastSigned.merge(head.workspaceId(), checkpoint, CheckpointService::newer))
                .replaceWith(1);
    }

    private Uni<Integer> refuse(UncoveredHead head, ChainHash headHash, String reason) {
        if (!alarmed.add(head.workspaceId() + "#" + head.seq() + "#" + headHash.hex())) {
            return Uni.createFrom().item(0);
        }
        LOG.errorf("AUDIT INTEGRITY ALARM: checkpoint of workspace %s refused: %s", head.workspaceId(), reason);
        metrics.counter("spalce.audit.checkpoint.refused").increment();
        return Panache.withTransaction(() -> auditTrail.record(
                        CloudEvent.PLATFORM_WORKSPACE,
                        AuditAction.AUDIT_CHECKPOINT_REFUSED,
                        Actor.system("audit-log-service"),
                        new Target("audit-chain", head.workspaceId()),
                        Outcome.DENIED,
                        Map.of("headSeq", Long.toString(head.seq()), "headHash", headHash.hex(), "reason", reason)))
                .replaceWith(0);
    }

    private static <T> Uni<T> blocking(Supplier<T> call, Executor onContext) {
        return Uni.createFrom()
                .item(call)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(onContext);
    }

    private static Checkpoint newer(Checkpoint a, Checkpoint b) {
        return b.seq() > a.seq() ? b : a;
    }
}
