package dev.spalce.audit.service;

import dev.spalce.audit.model.AuditEntry;
import dev.spalce.audit.repository.AuditEntryRepository;
import dev.spalce.auditchain.AuditRecord;
import dev.spalce.auditchain.ChainEntry;
import dev.spalce.auditchain.ChainHash;
import dev.spalce.auditchain.HashChain;
import dev.spalce.contracts.CloudEvent;
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

    public AuditIngestService(AuditEntryRepository entries) {
        this.entries = entries;
    }

    /** A decoded audit event. */
    public record IncomingEvent(CloudEvent event, AuditPayload payload) {}

    /** Appends the events not stored yet; returns how many it appended. */
    public Uni<Integer> append(List<IncomingEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<String> ids = events.stream().map(e -> e.event().id()).toList();
        return Panache.withTransaction(() -> entries.storedEventIds(ids).chain(stored -> {
            Map<String, List<IncomingEvent>> byWorkspace = new TreeMap<>();
            Set<String> seen = new HashSet<>(stored);
            for (IncomingEvent incoming : events) {
                if (seen.add(incoming.event().id())) {
                    byWorkspace
                            .computeIfAbsent(incoming.event().workspaceId(), ws -> new ArrayList<>())
                            .add(incoming);
                }
            }
            return Multi.createFrom()
                    .iterable(byWorkspace.entrySet())
                    .onItem()
                    .transformToUniAndConcatenate(chain -> appendToChain(chain.getKey(), chain.getValue()))
                    .collect()
                    .with(Collectors.summingInt(Integer::intValue));
        }));
    }

    private Uni<Integer> appendToChain(String workspaceId, List<IncomingEvent> events) {
        return entries.lockChain(workspaceId)
                .chain(() -> entries.head(workspaceId))
                .chain(head -> {
                    ChainHash previous =
                            head.map(h -> ChainHash.of(h.entryHash)).orElse(ChainHash.GENESIS);
                    long seq = head.map(h -> h.seq).orElse(0L);
                    List<AuditEntry> links = new ArrayList<>(events.size());
                    for (IncomingEvent incoming : events) {
                        ChainEntry link = HashChain.append(previous, record(incoming, ++seq));
                        links.add(AuditEntry.of(link));
                        previous = link.entryHash();
                    }
                    return entries.persist(links).replaceWith(links.size());
                });
    }

    private static AuditRecord record(IncomingEvent incoming, long seq) {
        CloudEvent event = incoming.event();
        AuditPayload payload = incoming.payload();
        return new AuditRecord(
                event.workspaceId(),
                seq,
                event.id(),
                event.time(),
                event.source(),
                event.type(),
                payload.actor().type(),
                payload.actor().subject(),
                payload.target().type(),
                payload.target().id(),
                payload.outcome().wireName(),
                payload.requestId(),
                payload.sourceAddress(),
                payload.details());
    }
}
