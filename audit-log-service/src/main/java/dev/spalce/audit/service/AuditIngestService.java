package dev.spalce.audit.service;

import dev.spalce.audit.model.AuditEntry;
import dev.spalce.audit.repository.AuditEntryRepository;
import dev.spalce.audit.repository.SealRepository;
import dev.spalce.auditchain.AuditRecord;
import dev.spalce.auditchain.ChainEntry;
import dev.spalce.auditchain.ChainHash;
import dev.spalce.auditchain.HashChain;
import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Appends audit events to their workspaces' hash chains, each event exactly once whatever the number of
 * deliveries. One transaction per batch; within it, each workspace's chain is locked (in a fixed order, so that
 * two instances never deadlock), its head read, and the new entries linked after it in arrival order.
 */
@ApplicationScoped
public class AuditIngestService {

    private final AuditEntryRepository entries;
    private final SealRepository seals;

    public AuditIngestService(AuditEntryRepository entries, SealRepository seals) {
        this.entries = entries;
        this.seals = seals;
    }

    /** A decoded audit event. */
    public record IncomingEvent(CloudEvent event, AuditPayload payload) {}

    /** An event on its way into a chain; {@code sealedFrom} names the sealed workspace it was meant for, if any. */
    private record Pending(IncomingEvent incoming, String sealedFrom) {}

    /**
     * Appends the events not stored yet; returns how many it appended. An event for a sealed workspace (deleted:
     * docs/deletion.md) never follows its final entry: it goes to the platform log, as
     * {@code audit.event-after-seal}, so that it is kept and seen rather than lost.
     */
    public Uni<Integer> append(List<IncomingEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<String> ids = events.stream().map(e -> e.event().id()).toList();
        return Panache.withTransaction(() -> entries.storedEventIds(ids).chain(stored -> {
            Map<String, List<Pending>> byWorkspace = new TreeMap<>();
            Set<String> seen = new HashSet<>(stored);
            for (IncomingEvent incoming : events) {
                if (seen.add(incoming.event().id())) {
                    byWorkspace
                            .computeIfAbsent(incoming.event().workspaceId(), ws -> new ArrayList<>())
                            .add(new Pending(incoming, null));
                }
            }
            // The platform chain goes last, with whatever sealed chains turned away: chains are still locked in
            // one order ("platform" sorts after every workspace id), so two instances never deadlock.
            List<Pending> platform =
                    new ArrayList<>(byWorkspace.getOrDefault(CloudEvent.PLATFORM_WORKSPACE, List.of()));
            byWorkspace.remove(CloudEvent.PLATFORM_WORKSPACE);
            return Multi.createFrom()
                    .iterable(byWorkspace.entrySet())
                    .onItem()
                    .transformToUniAndConcatenate(
                            chain -> appendUnlessSealed(chain.getKey(), chain.getValue(), platform))
                    .collect()
                    .with(Collectors.summingInt(Integer::intValue))
                    .chain(appended -> platform.isEmpty()
                            ? Uni.createFrom().item(appended)
                            : appendToChain(CloudEvent.PLATFORM_WORKSPACE, platform)
                                    .map(more -> appended + more));
        }));
    }

    /** Appends to the workspace's chain, or, when it is sealed, hands the events to {@code platform} instead. */
    private Uni<Integer> appendUnlessSealed(String workspaceId, List<Pending> events, List<Pending> platform) {
        return entries.lockChain(workspaceId)
                .chain(() -> seals.isSealed(workspaceId))
                .chain(closed -> {
                    if (!closed) {
                        return appendToChain(workspaceId, events);
                    }
                    events.forEach(pending -> platform.add(new Pending(pending.incoming(), workspaceId)));
                    return Uni.createFrom().item(0);
                });
    }

    private Uni<Integer> appendToChain(String workspaceId, List<Pending> events) {
        return entries.lockChain(workspaceId)
                .chain(() -> entries.head(workspaceId))
                .chain(head -> {
                    ChainHash previous =
                            head.map(h -> ChainHash.of(h.entryHash)).orElse(ChainHash.GENESIS);
                    long seq = head.map(h -> h.seq).orElse(0L);
                    List<AuditEntry> links = new ArrayList<>(events.size());
                    for (Pending pending : events) {
                        ChainEntry link = HashChain.append(previous, record(workspaceId, pending, ++seq));
                        links.add(AuditEntry.of(link));
                        previous = link.entryHash();
                    }
                    return entries.persist(links).replaceWith(links.size());
                });
    }

    private static AuditRecord record(String chain, Pending pending, long seq) {
        CloudEvent event = pending.incoming().event();
        AuditPayload payload = pending.incoming().payload();
        Map<String, String> details = payload.details();
        String action = event.type();
        if (pending.sealedFrom() != null) {
            details = new TreeMap<>(details);
            details.put("sealedWorkspace", pending.sealedFrom());
            details.put("action", action);
            action = AuditAction.AUDIT_EVENT_AFTER_SEAL;
        }
        return new AuditRecord(
                chain,
                seq,
                event.id(),
                event.time(),
                event.source(),
                action,
                payload.actor().type(),
                payload.actor().subject(),
                payload.target().type(),
                payload.target().id(),
                payload.outcome().wireName(),
                payload.requestId(),
                payload.sourceAddress(),
                details);
    }
}
