package dev.spalce.kit.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxMessage, UUID> {

    /**
     * The oldest pending messages, locked for this transaction. Rows another relay instance holds are skipped,
     * so several instances of a service never publish the same message at the same time.
     */
    @SuppressWarnings("unchecked")
    public Uni<List<OutboxMessage>> lockOldest(int limit) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT * FROM outbox_message ORDER BY created_at, id LIMIT :limit "
                                        + "FOR UPDATE SKIP LOCKED",
                                OutboxMessage.class)
                        .setParameter("limit", limit)
                        .getResultList());
    }

    public Uni<Integer> deleteAll(Collection<UUID> ids) {
        return ids.isEmpty()
                ? Uni.createFrom().item(0)
                : delete("id in ?1", ids).map(Long::intValue);
    }

    public Uni<Integer> recordFailure(Collection<UUID> ids, String error) {
        return ids.isEmpty()
                ? Uni.createFrom().item(0)
                : update("attempts = attempts + 1, lastError = ?1 where id in ?2", error, ids);
    }

    public Uni<Long> pending() {
        return count();
    }
}
