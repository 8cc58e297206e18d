package dev.spalce.gateway.readaudit.service;

import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.gateway.config.GatewayConfig;
import dev.spalce.gateway.readaudit.repository.ReadTallyRepository;
import dev.spalce.gateway.readaudit.repository.ReadTallyRepository.ClosedWindow;
import dev.spalce.kit.api.RequestMetadata;
import dev.spalce.kit.audit.AuditTrail;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Audits reads of a workspace's lists and metadata without an event per request: each successful read is counted
 * in its window's row (one per actor, resource, client address and window, {@code spalce.gateway.read-audit-window},
 * a minute by default) before its answer is relayed, and each closed window becomes one {@code resource.read} event
 * with the count. A read is never served uncounted, and a count survives a crash (it is a row until it is an
 * event), while a client paging through a list a hundred times a minute makes one event, not a hundred.
 */
@ApplicationScoped
public class ReadAudit {

    private static final int WINDOWS_PER_FLUSH = 500;

    private final ReadTallyRepository tallies;
    private final AuditTrail audit;
    private final RequestMetadata request;
    private final long windowSeconds;
    private final GroupedCounts<TallyKey> counts = new GroupedCounts<>(this::write);

    public ReadAudit(ReadTallyRepository tallies, AuditTrail audit, RequestMetadata request, GatewayConfig config) {
        this.tallies = tallies;
        this.audit = audit;
        this.request = request;
        this.windowSeconds = config.readAuditWindow().toSeconds();
        if (windowSeconds < 1 || windowSeconds > 3600) {
            throw new IllegalStateException("spalce.gateway.read-audit-window must be between 1s and 1h");
        }
    }

    /** Counts one successful read of the request being served (its id and client address). */
    public Uni<Void> count(UUID workspace, String subject, String resource) {
        return count(workspace, subject, resource, request.sourceAddress(), request.requestId());
    }

    /**
     * Counts one successful read; the read is served only once this has succeeded. Concurrent reads of one row are
     * written together ({@link GroupedCounts}), each still waiting for the commit that includes it.
     */
    public Uni<Void> count(UUID workspace, String subject, String resource, String sourceAddress, String requestId) {
        Context caller = Vertx.currentContext();
        Executor resumeOn = caller == null ? Runnable::run : task -> caller.runOnContext(ignored -> task.run());
        return counts.count(new TallyKey(workspace, subject, resource, sourceAddress), requestId, resumeOn);
    }

    private Uni<Void> write(TallyKey key, GroupedCounts.Batch batch) {
        return Panache.withTransaction(() -> tallies.count(
                key.workspace(),
                key.subject(),
                key.resource(),
                key.sourceAddress(),
                batch.reads(),
                batch.firstRequestId(),
                windowSeconds));
    }

    /** One window row's identity, but for the window, which the database's clock decides when it is written. */
    private record TallyKey(UUID workspace, String subject, String resource, String sourceAddress) {}

    /** Turns the closed windows into audit events (through the outbox, in the transaction that deletes them). */
    @Scheduled(
            every = "${spalce.gateway.read-audit-flush-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> flush() {
        return Panache.withTransaction(() -> tallies.lockClosed(windowSeconds, WINDOWS_PER_FLUSH)
                        .chain(windows -> {
                            Uni<Void> done = Uni.createFrom().voidItem();
                            for (ClosedWindow window : windows) {
                                done = done.chain(() -> event(window)).chain(() -> tallies.delete(window));
                            }
                            return done.replaceWith(windows.size());
                        }))
                .chain(flushed -> flushed == WINDOWS_PER_FLUSH
                        ? flush()
                        : Uni.createFrom().voidItem());
    }

    private Uni<Void> event(ClosedWindow window) {
        return audit.record(
                window.workspaceId(),
                AuditAction.RESOURCE_READ,
                Actor.user(window.subject()),
                new Target("resource", window.resource()),
                Outcome.SUCCESS,
                Map.of(
                        "reads", Integer.toString(window.reads()),
                        "windowStart", window.windowStart(),
                        "windowEnd", window.windowEnd()),
                window.firstRequestId(),
                window.sourceAddress());
    }
}
