package dev.spalce.rewrap.job.service;

import dev.spalce.contracts.rewrap.RewrapProgress;
import dev.spalce.contracts.rewrap.RewrapProgress.State;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.rewrap.job.config.RunnerConfig;
import dev.spalce.rewrap.job.model.RewrapJob;
import dev.spalce.rewrap.job.repository.RewrapJobRepository;
import dev.spalce.rewrap.job.service.port.KeyRewrapper;
import dev.spalce.rewrap.job.service.port.StoredKeys;
import dev.spalce.rewrap.workspacekey.repository.WorkspaceKeyRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs rewrap jobs. Every poll, an instance with room takes the oldest running job no live instance holds (a lease
 * in the job's row, renewed at each checkpoint), and runs it batch after batch until it is done, paused, cancelled
 * or taken over:
 * <ol>
 *   <li>at the start of a pass, count the records not on the target version (the total);</li>
 *   <li>each batch: a page of them from the checkpoint, paced to the provider's budget, re-wrapped by
 *       crypto-service, written back with compare-and-set, then the checkpoint (cursor and counts) in one
 *       update that also checks the job is still running and still this instance's;</li>
 *   <li>at the end of a pass, count again: none left completes the job; some left after a pass that moved records
 *       (records live traffic changed meanwhile) starts another pass; some left after a pass that moved none (every
 *       one of them failed) fails the job, naming the problem.</li>
 * </ol>
 * A crash anywhere loses at most the batch in flight, which the next holder re-runs harmlessly. While
 * crypto-service or the customer's KMS is unavailable or throttling, the job backs off exponentially and keeps its
 * place; only an outage longer than {@code spalce.rewrap.runner.max-outage} fails it (it can be resumed).
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final RewrapJobRepository jobs;
    private final RewrapJobService lifecycle;
    private final RewrapBatch batch;
    private final StoredKeys stored;
    private final KeyRewrapper rewrapper;
    private final Pacer pacer;
    private final WorkspaceKeyRepository workspaceKeys;
    private final RunnerConfig config;
    private final Vertx vertx;
    private final String instance = "rewrap-worker-" + UUID.randomUUID();
    private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();
    /**
     * The jobs this instance holds a lease on, from the moment the claim returns: a job counts against
     * max-concurrent-jobs before it is loaded and running, so the next poll cannot claim one more meanwhile.
     */
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();

    public JobRunner(
            RewrapJobRepository jobs,
            RewrapJobService lifecycle,
            StoredKeys stored,
            KeyRewrapper rewrapper,
            Pacer pacer,
            WorkspaceKeyRepository workspaceKeys,
            RunnerConfig config,
            Vertx vertx) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.stored = stored;
        this.rewrapper = rewrapper;
        this.batch = new RewrapBatch(stored, rewrapper);
        this.pacer = pacer;
        this.workspaceKeys = workspaceKeys;
        this.config = config;
        this.vertx = vertx;
    }

    /** This instance's id, as job leases name it. */
    public String instance() {
        return instance;
    }

    /** Where this instance's jobs stand, for the progress events. */
    Collection<RunningJob> running() {
        return running.values();
    }

    @Scheduled(
            every = "${spalce.rewrap.runner.poll-interval:1s}",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> takeJobs() {
        if (held.size() >= config.maxConcurrentJobs()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> jobs.claim(instance, config.lease()))
                .invoke(id -> {
                    if (id != null) {
                        held.add(id);
                        start(id);
                    }
                })
                .onFailure()
                .invoke(failure -> LOG.warnf("could not look for rewrap jobs: %s", failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private void start(UUID id) {
        // Each job on a context of its own, so its sessions never mix with the scheduler's; marked safe, as
        // Hibernate Reactive requires of a context no other request shares.
        VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()).runOnContext(ignored -> {
            VertxContextSafetyToggle.setCurrentContextSafe(true);
            Panache.withSession(() -> jobs.findById(id)
                            .chain(job -> workspaceKeys
                                    .findById(job.workspaceId)
                                    .map(key -> Map.entry(job, Optional.ofNullable(key)))))
                    .subscribe()
                    .with(
                            loaded -> {
                                RewrapJob job = loaded.getKey();
                                // Paced for the previous key's provider too while the workspace is changing keys.
                                RunningJob state = new RunningJob(
                                        job,
                                        config.rateWindow().toNanos(),
                                        pacer.budgetFor(
                                                KmsKeyId.parse(job.targetKmsKeyId)
                                                        .provider(),
                                                loaded.getValue()
                                                        .map(key -> key.previousProvider)
                                                        .orElse(null)));
                                running.put(id, state);
                                LOG.infof(
                                        "running rewrap job %s (workspace %s, to %s, pass %d, %d done)",
                                        id, job.workspaceId, job.targetKmsKeyId, job.pass, job.done);
                                Uni.createFrom()
                                        .deferred(() -> step(state))
                                        .repeat()
                                        .whilst(goOn -> goOn)
                                        .collect()
                                        .last()
                                        .subscribe()
                                        .with(ignoredItem -> stopped(state, null), failure -> stopped(state, failure));
                            },
                            failure -> {
                                LOG.warnf("could not load rewrap job %s: %s", id, failure.getMessage());
                                held.remove(id);
                            });
        });
    }

    /**
     * A job stopped. A failure nothing here expected (a service answering 404 or 500, a bug) fails the job, with
     * the reason, instead of retrying it at every poll: an Owner resumes it once the cause is fixed.
     */
    private void stopped(RunningJob state, Throwable failure) {
        if (failure == null) {
            release(state.id);
            return;
        }
        if (failure instanceof jakarta.ws.rs.WebApplicationException answered) {
            // A service answered with an error status: its message says which; a stack trace would add nothing.
            LOG.errorf("rewrap job %s failed unexpectedly: %s", state.id, answered.getMessage());
        } else {
            LOG.errorf(failure, "rewrap job %s failed unexpectedly", state.id);
        }
        fail(
                        state,
                        "stopped by an unexpected error (" + failure.getClass().getSimpleName()
                                + "); resume the job to try again")
                .subscribe()
                .with(ignored -> release(state.id), again -> {
                    LOG.errorf(
                            "could not mark rewrap job %s failed (%s); its lease runs out and another poll "
                                    + "takes it up",
                            state.id, again.getMessage());
                    release(state.id);
                });
    }

    private void release(UUID id) {
        running.remove(id);
        held.remove(id);
    }

    /** One step of a job; true to go on. */
    private Uni<Boolean> step(RunningJob state) {
        if (state.pass == 0) {
            return startPass(state);
        }
        return retrying(batch.run(
                        state.workspaceId,
                        state.target,
                        state.cursor,
                        config.batchSize(),
                        requests -> pacer.pace(state.budget, requests)))
                .chain(result -> Panache.withTransaction(() -> jobs.checkpoint(
                                state.id,
                                instance,
                                result.nextCursor(),
                                result.applied(),
                                result.stale(),
                                result.failed(),
                                config.lease()))
                        .chain(written -> {
                            if (written == 0) {
                                return Uni.createFrom().item(false);
                            }
                            state.advance(result);
                            return result.endOfPass()
                                    ? endPass(state)
                                    : Uni.createFrom().item(true);
                        }))
                .onFailure(JobRunner::isUnavailable)
                .recoverWithUni(outage -> fail(
                        state,
                        "crypto-service or the key provider stayed unavailable for " + config.maxOutage()
                                + "; resume the job to try again"));
    }

    private Uni<Boolean> startPass(RunningJob state) {
        return retrying(stored.countNotOn(state.workspaceId, state.target))
                .chain(remaining -> Panache.withTransaction(() -> jobs.startPass(state.id, instance, remaining))
                        .map(written -> {
                            if (written == 0) {
                                return false;
                            }
                            state.newPass(remaining);
                            return true;
                        }));
    }

    private Uni<Boolean> endPass(RunningJob state) {
        return retrying(stored.countNotOn(state.workspaceId, state.target)).chain(remaining -> {
            if (remaining == 0) {
                // Nothing is left on an older version of the target's key, nor on a key the workspace changed
                // from: the older versions become retirable, and the previous keys are detached.
                return retrying(rewrapper.markOlderVersionsRetirable(state.workspaceId, state.target))
                        .chain(retirable -> retrying(rewrapper.detachFormerKeys(state.workspaceId, state.target))
                                .chain(detached -> (detached.isEmpty()
                                                ? Uni.createFrom().voidItem()
                                                : Panache.withTransaction(() ->
                                                                workspaceKeys.previousKeyDetached(state.workspaceId))
                                                        .replaceWithVoid())
                                        .replaceWith(Map.of(
                                                "retirableVersions",
                                                retirable.toString(),
                                                "detachedKeys",
                                                detached.toString()))))
                        .chain(details -> lifecycle.finish(state.id, instance, State.COMPLETED, null, details))
                        .map(job -> {
                            if (job != null) {
                                LOG.infof(
                                        "rewrap job %s completed: %d data keys of workspace %s on %s",
                                        state.id, job.done, state.workspaceId, state.target);
                            }
                            return false;
                        });
            }
            if (state.passDone > 0) {
                return Panache.withTransaction(() -> jobs.startPass(state.id, instance, remaining))
                        .map(written -> {
                            state.newPass(remaining);
                            return written > 0;
                        });
            }
            return fail(state, remaining + " records could not be re-wrapped (" + state.firstProblem + ")");
        });
    }

    private Uni<Boolean> fail(RunningJob state, String reason) {
        LOG.warnf("rewrap job %s failed: %s", state.id, reason);
        return lifecycle
                .finish(state.id, instance, State.FAILED, reason, Map.of())
                .replaceWith(false);
    }

    private <T> Uni<T> retrying(Uni<T> call) {
        return call.onFailure(JobRunner::isUnavailable)
                .retry()
                .withBackOff(config.initialBackoff(), config.maxBackoff())
                .expireIn(config.maxOutage().toMillis());
    }

    private static boolean isUnavailable(Throwable failure) {
        return failure instanceof ProblemException problem && problem.status() == 503;
    }

    /** What this instance knows of a job it runs, between checkpoints. */
    static final class RunningJob {
        final UUID id;
        final String workspaceId;
        final String target;
        final ProgressMeter meter;
        /** The job's KMS request budget, for as long as this instance runs it. */
        final RequestBudget budget;

        volatile int pass;
        volatile String cursor;
        volatile long done;
        volatile long total;
        volatile long passDone;
        volatile String firstProblem;

        RunningJob(RewrapJob job, long rateWindowNanos, RequestBudget budget) {
            this.id = job.id;
            this.budget = budget;
            this.workspaceId = job.workspaceId;
            this.target = job.targetKmsKeyId;
            this.meter = new ProgressMeter(rateWindowNanos);
            this.pass = job.pass;
            this.cursor = job.cursor;
            this.done = job.done;
            this.total = job.total;
            this.passDone = job.passDone;
            meter.record(System.nanoTime(), done);
        }

        void newPass(long remaining) {
            pass++;
            cursor = null;
            passDone = 0;
            firstProblem = null;
            total = done + remaining;
        }

        void advance(RewrapBatch.Result result) {
            cursor = result.nextCursor();
            done += result.applied();
            passDone += result.applied();
            if (firstProblem == null) {
                firstProblem = result.firstProblem();
            }
            meter.record(System.nanoTime(), done);
        }

        RewrapProgress snapshot() {
            return new RewrapProgress(
                    id.toString(),
                    target,
                    State.RUNNING,
                    done,
                    Math.max(total, done),
                    meter.ratePerSecond(),
                    meter.etaSeconds(Math.max(0, total - done)));
        }
    }
}
