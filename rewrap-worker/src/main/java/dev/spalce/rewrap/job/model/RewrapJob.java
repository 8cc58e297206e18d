package dev.spalce.rewrap.job.model;

import dev.spalce.contracts.rewrap.RewrapProgress.State;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One rewrap job: moves every data key of one workspace to one CMK version; see {@code V1__rewrap_jobs.sql}. The
 * identity columns are not updatable, matching the column grants of the service role.
 */
@Entity
@Table(name = "rewrap_job")
public class RewrapJob {

    @Id
    @Column(updatable = false)
    public UUID id;

    @Column(name = "workspace_id", nullable = false, updatable = false)
    public String workspaceId;

    @Column(name = "target_kms_key_id", nullable = false, updatable = false)
    public String targetKmsKeyId;

    @Convert(converter = JobStateConverter.class)
    @Column(nullable = false)
    public State state;

    @Column(nullable = false)
    public long total;

    @Column(nullable = false)
    public long done;

    @Column(nullable = false)
    public long skipped;

    @Column(nullable = false)
    public int pass;

    @Column(name = "cursor")
    public String cursor;

    @Column(name = "requested_by", nullable = false, updatable = false)
    public String requestedBy;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(nullable = false)
    public long failed;

    @Column(name = "pass_done", nullable = false)
    public long passDone;

    /** A new running job, before its first pass. */
    public static RewrapJob start(String workspaceId, String targetKmsKeyId, String requestedBy, Instant now) {
        RewrapJob job = new RewrapJob();
        job.id = UUID.randomUUID();
        job.workspaceId = workspaceId;
        job.targetKmsKeyId = targetKmsKeyId;
        job.state = State.RUNNING;
        job.requestedBy = requestedBy;
        job.createdAt = now;
        job.updatedAt = now;
        return job;
    }

    /** Whether the job may still make progress (running or paused). */
    public boolean isUnfinished() {
        return state == State.RUNNING || state == State.PAUSED;
    }

    /** Moves to {@code next}, which {@link JobTransitions} must allow; a final state sets {@code finishedAt}. */
    public void moveTo(State next, Instant now) {
        JobTransitions.require(state, next);
        state = next;
        updatedAt = now;
        if (!isUnfinished()) {
            finishedAt = now;
        }
    }
}
