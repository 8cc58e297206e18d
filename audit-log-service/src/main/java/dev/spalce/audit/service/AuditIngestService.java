package dev.spalce.audit.service;

import dev.spalce.audit.model.AuditEntry;
import dev.spalce.audit.repository.AuditEntryRepository;
import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.audit.AuditPayload;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Stores audit events exactly once, whatever the number of deliveries. */
@ApplicationScoped
public class AuditIngestService {

    private final AuditEntryRepository entries;

    public AuditIngestService(AuditEntryRepository entries) {
        this.entries = entries;
    }

    /** Stores the event unless an event with the same id is already stored; returns whether it stored it. */
    @WithTransaction
    public Uni<Boolean> store(CloudEvent event, AuditPayload payload) {
        return entries.contains(event.id()).chain(known -> known
                ? Uni.createFrom().item(false)
                : entries.persist(toEntry(event, payload)).replaceWith(true));
    }

    private static AuditEntry toEntry(CloudEvent event, AuditPayload payload) {
        AuditEntry entry = new AuditEntry();
        entry.eventId = event.id();
        entry.workspaceId = event.workspaceId();
        entry.occurredAt = event.time();
        entry.source = event.source();
        entry.action = event.type();
        entry.actorType = payload.actor().type();
        entry.actorSubject = payload.actor().subject();
        entry.targetType = payload.target().type();
        entry.targetId = payload.target().id();
        entry.outcome = payload.outcome().wireName();
        entry.requestId = payload.requestId();
        entry.sourceAddress = payload.sourceAddress();
        entry.details = payload.details();
        return entry;
    }
}
