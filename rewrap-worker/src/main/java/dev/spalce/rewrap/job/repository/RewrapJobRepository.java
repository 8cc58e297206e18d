package dev.spalce.rewrap.job.repository;

import dev.spalce.contracts.rewrap.RewrapProgress.State;
import dev.spalce.rewrap.job.model.RewrapJob;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
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
        return find(
                        "workspaceId = ?1 and targetKmsKeyId <> ?2 and state in ?3",
                        workspaceId,
                        targetKmsKeyId,
                        UNFINISHED)
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

    /**
     * Takes the oldest running job no live worker holds (never held, or its lease ran out), for {@code owner}
     * until {@code lease} from now; its id, or null when there is none. Jobs another transaction is taking are
     * skipped, so two workers never take the same job.
     */
    public Uni<UUID> claim(String owner, Duration lease) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        UPDATE rewrap_job SET lease_owner = :owner,
                               lease_until = clock_timestamp() + make_interval(secs => :lease)
                         WHERE id = (SELECT id FROM rewrap_job
                                      WHERE state = 'running'
                                        AND (lease_until IS NULL OR lease_until < clock_timestamp())
                                      ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                        RETURNING id""", UUID.class)
                        .setParameter("owner", owner)
                        .setParameter("lease", lease.toMillis() / 1000.0)
                        .getResultList())
                .map(ids -> ids.isEmpty() ? null : ids.get(0));
    }

    /**
     * Writes a batch's checkpoint and extends the lease, if the job is still running and {@code owner}'s; the
     * number of rows written (0: paused, cancelled, or taken over: stop).
     */
    public Uni<Integer> checkpoint(
            UUID id, String owner, String cursor, long applied, long stale, long failed, Duration lease) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        UPDATE rewrap_job SET cursor = :cursor, done = done + :applied, pass_done = pass_done + :applied,
                               skipped = skipped + :stale, failed = failed + :failed, updated_at = clock_timestamp(),
                               lease_until = clock_timestamp() + make_interval(secs => :lease)
                         WHERE id = :id AND lease_owner = :owner AND state = 'running'""")
                        .setParameter("cursor", cursor)
                        .setParameter("applied", applied)
                        .setParameter("stale", stale)
                        .setParameter("failed", failed)
                        .setParameter("lease", lease.toMillis() / 1000.0)
                        .setParameter("id", id)
                        .setParameter("owner", owner)
                        .executeUpdate());
    }

    /**
     * Begins the next pass over the records not on the target: {@code remaining} of them, so the total becomes
     * what is done plus what remains. The number of rows written, as for {@link #checkpoint}.
     */
    public Uni<Integer> startPass(UUID id, String owner, long remaining) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        UPDATE rewrap_job SET pass = pass + 1, cursor = NULL, pass_done = 0, failed = 0,
                               total = done + :remaining, updated_at = clock_timestamp()
                         WHERE id = :id AND lease_owner = :owner AND state = 'running'""")
                        .setParameter("remaining", remaining)
                        .setParameter("id", id)
                        .setParameter("owner", owner)
                        .executeUpdate());
    }

    /** The workspace's latest jobs, newest first. */
    public Uni<List<RewrapJob>> latest(String workspaceId, int limit) {
        return find("workspaceId", Sort.descending("createdAt").and("id"), workspaceId)
                .page(0, limit)
                .list();
    }
}
