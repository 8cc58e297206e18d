package dev.spalce.rewrap.job.repository;

import dev.spalce.contracts.rewrap.RewrapProgress.State;
import dev.spalce.rewrap.job.model.RewrapJob;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class RewrapJobRepository implements PanacheRepositoryBase<RewrapJob, UUID> {

    private static final List<State> UNFINISHED = List.of(State.RUNNING, State.PAUSED);

    /** The unfinished job of this workspace and target, or null. */
    public Uni<RewrapJob> findUnfinished(String workspaceId, String targetKmsKeyId) {
        return find("workspaceId = ?1 and targetKmsKeyId = ?2 and state in ?3", workspaceId, targetKmsKeyId, UNFINISHED)
                .firstResult();
    }

    /** The workspace's unfinished jobs for other targets than this one, locked for this transaction. */
    public Uni<List<RewrapJob>> lockUnfinishedForOtherTargets(String workspaceId, String targetKmsKeyId) {
        return find("workspaceId = ?1 and targetKmsKeyId <> ?2 and state in ?3", workspaceId, targetKmsKeyId, UNFINISHED)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
    }

    /** The job, if it belongs to the workspace, locked for this transaction; else null. */
    public Uni<RewrapJob> lockInWorkspace(String workspaceId, UUID id) {
        return find("id = ?1 and workspaceId = ?2", id, workspaceId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /** The job, if it belongs to the workspace; else null. */
    public Uni<RewrapJob> findInWorkspace(String workspaceId, UUID id) {
        return find("id = ?1 and workspaceId = ?2", id, workspaceId).firstResult();
    }

    /** The workspace's latest jobs, newest first. */
    public Uni<List<RewrapJob>> latest(String workspaceId, int limit) {
        return find("workspaceId", Sort.descending("createdAt").and("id"), workspaceId).page(0, limit).list();
    }
}
