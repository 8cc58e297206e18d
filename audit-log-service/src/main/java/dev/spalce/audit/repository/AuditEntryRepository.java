package dev.spalce.audit.repository;

import dev.spalce.audit.model.AuditEntry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

@ApplicationScoped
public class AuditEntryRepository implements PanacheRepositoryBase<AuditEntry, String> {

    /** Which of these event ids are already stored. */
    public Uni<Set<String>> storedEventIds(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return find("eventId in ?1", eventIds).project(EventId.class).list().map(found -> {
            Set<String> ids = new HashSet<>();
            found.forEach(row -> ids.add(row.eventId()));
            return ids;
        });
    }

    /** The projection of {@link #storedEventIds}. */
    public record EventId(String eventId) {}

    /**
     * Serialises appends to one workspace's chain for the rest of the transaction, across every instance of
     * the service: a transaction-scoped PostgreSQL advisory lock on the workspace id.
     */
    public Uni<Void> lockChain(String workspaceId) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) locked",
                                Long.class)
                        .setParameter(1, workspaceId)
                        .getSingleResult())
                .replaceWithVoid();
    }

    /** The workspace's last entry, if it has one. */
    public Uni<Optional<AuditEntry>> head(String workspaceId) {
        return find("workspaceId", Sort.descending("seq"), workspaceId)
                .firstResult()
                .map(Optional::ofNullable);
    }

    /** The query API's filters; null members do not filter. */
    public record Filter(
            String actorSubject,
            String action,
            String targetType,
            String targetId,
            String outcome,
            Instant from,
            Instant to) {}

    /** A page of a workspace's entries, newest first, before {@code beforeSeq} (exclusive) when given. */
    public Uni<List<AuditEntry>> page(String workspaceId, Filter filter, Long beforeSeq, int limit) {
        StringBuilder query = new StringBuilder("workspaceId = :workspace");
        Parameters parameters = Parameters.with("workspace", workspaceId);
        and(query, parameters, "actorSubject", filter.actorSubject());
        and(query, parameters, "action", filter.action());
        and(query, parameters, "targetType", filter.targetType());
        and(query, parameters, "targetId", filter.targetId());
        and(query, parameters, "outcome", filter.outcome());
        if (filter.from() != null) {
            query.append(" and occurredAt >= :from");
            parameters.and("from", filter.from());
        }
        if (filter.to() != null) {
            query.append(" and occurredAt < :to");
            parameters.and("to", filter.to());
        }
        if (beforeSeq != null) {
            query.append(" and seq < :before");
            parameters.and("before", beforeSeq);
        }
        return find(query.toString(), Sort.descending("seq"), parameters)
                .page(0, limit)
                .list();
    }

    /** Entries of a workspace in chain order, from {@code fromSeq} (inclusive) to {@code toSeq} (inclusive). */
    public Uni<List<AuditEntry>> range(String workspaceId, long fromSeq, long toSeq, int limit) {
        return find("workspaceId = ?1 and seq >= ?2 and seq <= ?3", Sort.ascending("seq"), workspaceId, fromSeq, toSeq)
                .page(0, limit)
                .list();
    }

    private static void and(StringBuilder query, Parameters parameters, String field, String value) {
        if (value != null) {
            query.append(" and ").append(field).append(" = :").append(field);
            parameters.and(field, value);
        }
    }
}
