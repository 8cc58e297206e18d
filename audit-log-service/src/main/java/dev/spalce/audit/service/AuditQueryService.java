package dev.spalce.audit.service;

import dev.spalce.audit.model.AuditEntry;
import dev.spalce.audit.repository.AuditEntryRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class AuditQueryService {

    private final AuditEntryRepository entries;

    public AuditQueryService(AuditEntryRepository entries) {
        this.entries = entries;
    }

    @WithSession
    public Uni<List<AuditEntry>> find(String workspaceId, String actorSubject, String action, int limit) {
        return entries.find(workspaceId, actorSubject, action, limit);
    }
}
