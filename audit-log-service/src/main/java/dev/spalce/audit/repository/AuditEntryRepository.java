package dev.spalce.audit.repository;

import dev.spalce.audit.model.AuditEntry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class AuditEntryRepository implements PanacheRepositoryBase<AuditEntry, String> {

    /** Whether an event with this id is already stored. */
    public Uni<Boolean> contains(String eventId) {
        return count("eventId", eventId).map(count -> count > 0);
    }

    /** A workspace's events, newest first, optionally narrowed to one actor and one action. */
    public Uni<List<AuditEntry>> find(String workspaceId, String actorSubject, String action, int limit) {
        StringBuilder query = new StringBuilder("workspaceId = :workspace");
        Parameters parameters = Parameters.with("workspace", workspaceId);
        if (actorSubject != null) {
            query.append(" and actorSubject = :actor");
            parameters.and("actor", actorSubject);
        }
        if (action != null) {
            query.append(" and action = :action");
            parameters.and("action", action);
        }
        return find(query.toString(), Sort.descending("occurredAt", "eventId"), parameters).page(0, limit).list();
    }
}
