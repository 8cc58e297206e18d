package dev.spalce.rewrap.job.service;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.contracts.rewrap.RewrapProgress;
import dev.spalce.contracts.rewrap.RewrapProgress.State;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.audit.AuditTrail;
import dev.spalce.kit.outbox.Outbox;
import dev.spalce.kit.persistence.SqlStates;
import dev.spalce.rewrap.job.config.JobConfig;
import dev.spalce.rewrap.job.model.JobTransitions.IllegalJobStateChangeException;
import dev.spalce.rewrap.job.model.RewrapJob;
import dev.spalce.rewrap.job.repository.RewrapJobRepository;
import dev.spalce.rewrap.workspacekey.repository.WorkspaceKeyRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Rewrap jobs: starting one (or joining the one already running for the same workspace and target), pausing,
 * resuming, cancelling, reading. Every change writes, in its own transaction, an audit event and a
 * {@code rewrap.progress} event with the new state to the outbox: the log and the dashboard learn of it exactly
 * when it happened.
 *
 * <p>Data keys are only ever moved to the workspace's current CMK version (crypto-service re-wraps to the current
 * version), so a job for a newer version supersedes any unfinished job for an older one: the older is cancelled,
 * and the newer covers its records.
 */
@ApplicationScoped
public class RewrapJobService {

    /** The actor of what the job runner does on its own: completing or failing a job. */
    public static final Actor RUNNER = Actor.system("rewrap-worker/job-runner");

    private final RewrapJobRepository jobs;
    private final WorkspaceKeyRepository workspaceKeys;
    private final AuditTrail audit;
    private final Outbox outbox;
    private final JobConfig config;
    private final String source;

    public RewrapJobService(
            RewrapJobRepository jobs,
            WorkspaceKeyRepository workspaceKeys,
            AuditTrail audit,
            Outbox outbox,
            JobConfig config,
            @ConfigProperty(name = "spalce.service.name") String serviceName) {
        this.jobs = jobs;
        this.workspaceKeys = workspaceKeys;
        this.audit = audit;
        this.outbox = outbox;
        this.config = config;
        this.source = "/spalce/" + serviceName;
    }

    /**
     * Starts a job moving every data key of the workspace to {@code targetKmsKeyId} (null: the current version),
     * or joins the unfinished one for that target.
     */
    public Uni<JobRequest> request(String workspaceId, String targetKmsKeyId, Actor by) {
        if (targetKmsKeyId != null) {
            try {
                KmsKeyId.parse(targetKmsKeyId);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().failure(ProblemException.invalid("targetKmsKeyId: " + e.getMessage()));
            }
        }
        return Panache.withTransaction(() -> requestInTransaction(workspaceId, targetKmsKeyId, by, Map.of()))
                // Two requests racing for the same target: the unique index lets one insert; the other joins it.
                .onFailure(SqlStates::isUniqueViolation)
                .recoverWithUni(() -> Panache.withSession(() -> jobs.findUnfinished(workspaceId, targetKmsKeyId)
                        .map(job -> job == null ? null : new JobRequest(job, true))))
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.unavailable("the job registry", null));
    }

    /**
     * {@link #request} inside the caller's transaction, for a key event handled in the same one.
     *
     * @param details added to the audit event of a job started
     */
    public Uni<JobRequest> requestInTransaction(
            String workspaceId, String requestedTarget, Actor by, Map<String, String> details) {
        return workspaceKeys.findById(workspaceId).chain(known -> {
            String target = requestedTarget;
            if (target == null) {
                if (known == null) {
                    return Uni.createFrom().failure(JobProblems.workspaceKeyUnknown(workspaceId));
                }
                target = known.currentKmsKeyId;
            } else if (known != null && !known.currentKmsKeyId.equals(target)) {
                return Uni.createFrom().failure(JobProblems.targetNotCurrent(target, known.currentKmsKeyId));
            }
            String chosen = target;
            return jobs.findUnfinished(workspaceId, chosen)
                    .chain(existing -> existing != null
                            ? Uni.createFrom().item(new JobRequest(existing, true))
                            : start(workspaceId, chosen, by, details).map(job -> new JobRequest(job, false)));
        });
    }

    private Uni<RewrapJob> start(String workspaceId, String target, Actor by, Map<String, String> details) {
        Instant now = Instant.now();
        RewrapJob job = RewrapJob.start(workspaceId, target, by.type() + ":" + by.subject(), now);
        return jobs.lockUnfinishedForOtherTargets(workspaceId, target)
                .chain(older -> Multi.createFrom()
                        .iterable(older)
                        .onItem()
                        .transformToUniAndConcatenate(old -> supersede(old, job, now))
                        .collect()
                        .last())
                .chain(() -> jobs.persist(job))
                .chain(() -> recorded(job, AuditAction.REWRAP_STARTED, by, details));
    }

    private Uni<RewrapJob> supersede(RewrapJob old, RewrapJob successor, Instant now) {
        old.moveTo(State.CANCELLED, now);
        old.lastError = "superseded by job " + successor.id + " for " + successor.targetKmsKeyId;
        return recorded(
                old,
                AuditAction.REWRAP_CANCELLED,
                Actor.system("rewrap-worker"),
                Map.of("supersededBy", successor.id.toString()));
    }

    /** Pauses a running job: it stops after its current batch and resumes from its checkpoint. */
    public Uni<RewrapJob> pause(String workspaceId, UUID jobId, Actor by) {
        return change(workspaceId, jobId, State.PAUSED, AuditAction.REWRAP_PAUSED, by);
    }

    /** Resumes a paused or failed job from its last checkpoint. */
    public Uni<RewrapJob> resume(String workspaceId, UUID jobId, Actor by) {
        return change(workspaceId, jobId, State.RUNNING, AuditAction.REWRAP_RESUMED, by);
    }

    /** Cancels a job for good; data keys it already moved stay moved (each is valid under either version). */
    public Uni<RewrapJob> cancel(String workspaceId, UUID jobId, Actor by) {
        return change(workspaceId, jobId, State.CANCELLED, AuditAction.REWRAP_CANCELLED, by);
    }

    private Uni<RewrapJob> change(String workspaceId, UUID jobId, State next, String action, Actor by) {
        return Panache.withTransaction(() -> jobs.lockInWorkspace(workspaceId, jobId)
                .chain(job -> {
                    if (job == null) {
                        return Uni.createFrom().failure(JobProblems.jobNotFound(jobId.toString()));
                    }
                    if (job.state == next) {
                        return Uni.createFrom().item(job);
                    }
                    try {
                        job.moveTo(next, Instant.now());
                    } catch (IllegalJobStateChangeException e) {
                        return Uni.createFrom().failure(JobProblems.invalidStateChange(e));
                    }
                    return recorded(job, action, by, Map.of());
                }));
    }

    /**
     * Ends a job {@code owner} runs: completed when no record is left on an older version, failed otherwise, with
     * the reason; {@code details} go into the audit event with the counts. Returns the job as ended, or null if it was no longer running in {@code owner}'s hands.
     */
    public Uni<RewrapJob> finish(UUID jobId, String owner, State end, String reason, Map<String, String> details) {
        return Panache.withTransaction(() -> jobs.findById(jobId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> {
                    if (job == null || job.state != State.RUNNING || !owner.equals(job.leaseOwner)) {
                        return Uni.createFrom().nullItem();
                    }
                    job.moveTo(end, Instant.now());
                    job.lastError = reason;
                    job.leaseOwner = null;
                    job.leaseUntil = null;
                    Map<String, String> counts = new LinkedHashMap<>(details);
                    counts.put("total", Long.toString(job.total));
                    counts.put("skipped", Long.toString(job.skipped));
                    counts.put("failed", Long.toString(job.failed));
                    counts.put("passes", Integer.toString(job.pass));
                    return recorded(
                            job,
                            end == State.COMPLETED ? AuditAction.REWRAP_COMPLETED : AuditAction.REWRAP_FAILED,
                            RUNNER,
                            counts);
                }));
    }

    /** The workspace's latest jobs, newest first. */
    @WithSession
    public Uni<List<RewrapJob>> list(String workspaceId) {
        return jobs.latest(workspaceId, config.listLimit());
    }

    /** One job of the workspace. */
    @WithSession
    public Uni<RewrapJob> get(String workspaceId, UUID jobId) {
        return jobs.findInWorkspace(workspaceId, jobId)
                .onItem()
                .ifNull()
                .failWith(() -> JobProblems.jobNotFound(jobId.toString()));
    }

    /** The audit event of a change and the job's new state on the progress topic, in the caller's transaction. */
    private Uni<RewrapJob> recorded(RewrapJob job, String action, Actor by, Map<String, String> extraDetails) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("targetKmsKeyId", job.targetKmsKeyId);
        details.put("state", job.state.wireName());
        details.put("done", Long.toString(job.done));
        details.putAll(extraDetails);
        RewrapProgress progress =
                new RewrapProgress(job.id.toString(), job.targetKmsKeyId, job.state, job.done, job.total, 0, null);
        return audit.record(
                        job.workspaceId,
                        action,
                        by,
                        new Target("rewrap-job", job.id.toString()),
                        Outcome.SUCCESS,
                        details)
                .chain(() -> outbox.enqueue(
                        Topic.REWRAP_PROGRESS,
                        CloudEvent.create(source, RewrapProgress.TYPE, job.workspaceId, EventCodec.toData(progress))))
                .replaceWith(job);
    }
}
