package dev.spalce.gateway.workspace.repository;

import dev.spalce.gateway.workspace.model.WorkspaceDeletion;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.UUID;

@ApplicationScoped
public class WorkspaceDeletionRepository implements PanacheRepositoryBase<WorkspaceDeletion, UUID> {

    /** Whether the workspace is to be deleted, or being deleted: it then refuses every change. */
    public Uni<Boolean> isUnderway(UUID workspaceId) {
        return count("workspaceId", workspaceId).map(count -> count > 0);
    }

    /** The workspace's deletion, locked for this transaction, or null. */
    public Uni<WorkspaceDeletion> lock(UUID workspaceId) {
        return findById(workspaceId, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The deletion to purge next, locked for this transaction, or null: one past its grace period, or one whose
     * purge stopped (its lease, or its wait before a retry, ran out), whichever has waited longest. One another
     * instance holds is skipped.
     */
    public Uni<WorkspaceDeletion> lockNextDue(Instant now) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT * FROM workspace_deletion WHERE (state = 'pending' AND purge_after <= :now) "
                                        + "OR (state = 'purging' AND (lease_until IS NULL OR lease_until <= :now)) "
                                        + "ORDER BY coalesce(lease_until, purge_after) LIMIT 1 FOR UPDATE SKIP LOCKED",
                                WorkspaceDeletion.class)
                        .setParameter("now", now)
                        .getResultList())
                .map(found -> found.isEmpty() ? null : found.get(0));
    }
}
