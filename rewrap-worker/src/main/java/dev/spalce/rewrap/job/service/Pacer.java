package dev.spalce.rewrap.job.service;

import dev.spalce.kit.pacing.RequestBudget;
import dev.spalce.rewrap.job.config.RunnerConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps rewrap jobs within their KMS request budget, per provider, across all the jobs of this instance: each
 * batch waits until the budget allows the requests it will cause (one per record). The budget is used fully — a
 * batch goes as soon as its requests are due — and never exceeded. With several instances, give each its share
 * (the budget divided by the instance count).
 */
@ApplicationScoped
public class Pacer {

    private final RunnerConfig config;
    private final Map<String, RequestBudget> budgets = new ConcurrentHashMap<>();

    public Pacer(RunnerConfig config) {
        this.config = config;
    }

    /** Completes when {@code requests} requests to {@code provider} are within its budget. */
    public Uni<Void> pace(String provider, int requests) {
        long waitNanos = budget(provider).reserve(requests, Long.MAX_VALUE);
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

    /** The requests per second jobs may cause at {@code provider}. */
    public double requestsPerSecond(String provider) {
        return budget(provider).requestsPerSecond();
    }

    private RequestBudget budget(String provider) {
        return budgets.computeIfAbsent(provider, id -> {
            double rate = config.requestsPerSecond().getOrDefault(id, config.defaultRequestsPerSecond());
            // A burst of one batch: after a quiet spell a job may send one batch at once, no more.
            return RequestBudget.of(rate, Math.max(1, config.batchSize()));
        });
    }
}
