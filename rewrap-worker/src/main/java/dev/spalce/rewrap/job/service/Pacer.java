package dev.spalce.rewrap.job.service;

import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.rewrap.job.config.RunnerConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;

/**
 * Keeps each rewrap job within its KMS request budget: the share of its customer's KMS quota that rewrap may use
 * ({@code spalce.rewrap.runner.requests-per-second.<provider>}), leaving the rest to live traffic. Each batch waits
 * until the budget allows the KMS requests it will cause: the budget is used fully — a batch goes as soon as its
 * requests are due — and never exceeded. A record costs one request where the KMS rewraps on its side (AWS KMS
 * {@code ReEncrypt}, Vault's {@code rewrap}; the local keystore and PKCS#11 count alike) and two where it cannot
 * ({@code gcp-kms} and {@code azure-kv}: an unwrap, then a wrap), so those budgets allow half as many records.
 *
 * <p>The budget belongs to the job, not to the instance: a workspace's key lives in its customer's own KMS account,
 * so two customers' jobs do not share a quota, and a job runs on one instance at a time (its lease), so the budget
 * holds for the whole fleet however many instances run.
 */
@ApplicationScoped
public class Pacer {

    /** KMS requests one record's rewrap causes, where it is not one: providers without a server-side rewrap. */
    private static final Map<String, Integer> REQUESTS_PER_RECORD = Map.of("gcp-kms", 2, "azure-kv", 2);

    private final RunnerConfig config;

    public Pacer(RunnerConfig config) {
        this.config = config;
    }

    /**
     * A fresh budget for one job whose target key lives at {@code provider}, counted in records: the provider's KMS
     * requests per second divided by the requests one record costs.
     */
    public RequestBudget budgetFor(String provider) {
        return budgetFor(provider, null);
    }

    /**
     * A fresh budget for one job whose target key lives at {@code provider} while some data keys are still wrapped
     * under a previous key at {@code previousProvider} (null: none), counted in records. Moving a record off the
     * previous key is an unwrap there and a wrap at the target: the target's budget counts one request per record
     * (two where both keys are at the same provider, or where the target has no server-side rewrap), the previous
     * provider's one, and the job keeps to the lower of the two.
     */
    public RequestBudget budgetFor(String provider, String previousProvider) {
        boolean sameProvider = provider.equals(previousProvider);
        int targetRequests = Math.max(REQUESTS_PER_RECORD.getOrDefault(provider, 1), sameProvider ? 2 : 1);
        double recordsPerSecond = requestsPerSecond(provider) / targetRequests;
        if (previousProvider != null && !sameProvider) {
            recordsPerSecond = Math.min(recordsPerSecond, requestsPerSecond(previousProvider));
        }
        // A burst of one batch: after a quiet spell a job may send one batch at once, no more.
        return RequestBudget.of(recordsPerSecond, Math.max(1, config.batchSize()));
    }

    private double requestsPerSecond(String provider) {
        return config.requestsPerSecond().getOrDefault(provider, config.defaultRequestsPerSecond());
    }

    /** Completes when {@code records} more records are within {@code budget}. */
    public Uni<Void> pace(RequestBudget budget, int records) {
        long waitNanos = budget.reserve(records, Long.MAX_VALUE);
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
