package dev.spalce.rewrap.job.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** How this worker runs rewrap jobs. */
@ConfigMapping(prefix = "spalce.rewrap.runner")
public interface RunnerConfig {

    /** Records per batch: one page read, one rewrap call to crypto-service, one compare-and-set, one checkpoint. */
    @WithDefault("200")
    int batchSize();

    /** Jobs this instance runs at once; more instances share the rest. */
    @WithDefault("2")
    int maxConcurrentJobs();

    /** How often an instance with room looks for a job to take (read by the scheduler). */
    @WithDefault("1s")
    Duration pollInterval();

    /** How often an instance publishes the progress of the jobs it runs (read by the scheduler). */
    @WithDefault("1s")
    Duration progressInterval();

    /** How long a job stays this instance's without a checkpoint; after that another instance may take it over. */
    @WithDefault("30s")
    Duration lease();

    /** How long crypto-service (or the customer's KMS behind it) may stay unavailable before the job fails. */
    @WithDefault("15m")
    Duration maxOutage();

    /** The first and the longest wait between attempts while crypto-service is unavailable or throttling. */
    @WithDefault("500ms")
    Duration initialBackoff();

    @WithDefault("30s")
    Duration maxBackoff();

    /** How far back the rate (and so the ETA) of a job's progress looks. */
    @WithDefault("10s")
    Duration rateWindow();

    /**
     * The KMS requests per second each rewrap job may cause, by the provider id of its key (aws-kms, local, ...): its
     * share of the customer's KMS quota, leaving the rest to live traffic. Per job, not per instance. Each provider's
     * default and its reason are in application.properties and the README; providers not named get
     * {@link #defaultRequestsPerSecond}.
     */
    Map<String, Double> requestsPerSecond();

    /** The budget of a provider {@link #requestsPerSecond} does not name. */
    @WithDefault("100")
    double defaultRequestsPerSecond();
}
