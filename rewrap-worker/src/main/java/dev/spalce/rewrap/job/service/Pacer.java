package dev.spalce.rewrap.job.service;

import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.rewrap.job.config.RunnerConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Keeps each rewrap job within its KMS request budget: the share of its customer's KMS quota that rewrap may use
 * ({@code spalce.rewrap.runner.requests-per-second.<provider>}), leaving the rest to live traffic. Each batch waits
 * until the budget allows the requests it will cause (one per record): the budget is used fully — a batch goes as
 * soon as its requests are due — and never exceeded.
 *
 * <p>The budget belongs to the job, not to the instance: a workspace's key lives in its customer's own KMS account,
 * so two customers' jobs do not share a quota, and a job runs on one instance at a time (its lease), so the budget
 * holds for the whole fleet however many instances run.
 */
@ApplicationScoped
public class Pacer {

    private final RunnerConfig config;

    public Pacer(RunnerConfig config) {
        this.config = config;
    }

    /** A fresh budget for one job whose target key lives at {@code provider}. */
    public RequestBudget budgetFor(String provider) {
        double rate = config.requestsPerSecond().getOrDefault(provider, config.defaultRequestsPerSecond());
        // A burst of one batch: after a quiet spell a job may send one batch at once, no more.
        return RequestBudget.of(rate, Math.max(1, config.batchSize()));
    }

    /** Completes when {@code requests} more requests are within {@code budget}. */
    public Uni<Void> pace(RequestBudget budget, int requests) {
        long waitNanos = budget.reserve(requests, Long.MAX_VALUE);
        Uni<Void> now = Uni.createFrom().voidItem();
        return waitNanos == 0 ? now : now.onItem().delayIt().by(delayOf(waitNanos));
    }

    /**
     * The delay for a wait of {@code waitNanos}, in whole milliseconds rounded up: the timers behind a delayed
     * {@code Uni} refuse anything under a millisecond, and waiting a little longer never exceeds the budget.
     */
    static Duration delayOf(long waitNanos) {
        return Duration.ofMillis(Math.max(1, (waitNanos + 999_999) / 1_000_000));
    }
}
