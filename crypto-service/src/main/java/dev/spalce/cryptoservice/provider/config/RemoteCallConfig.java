package dev.spalce.cryptoservice.provider.config;

import dev.spalce.keyproviders.remote.KmsCalls;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How crypto-service sends requests to one remote KMS (a group inside each remote provider's configuration).
 * Every attempt must fit in {@code spalce.crypto.provider-calls.timeout} with its retries, so keep
 * {@code attempt-timeout * max-attempts} plus the backoff below it.
 */
public interface RemoteCallConfig {

    /** How long one HTTP request may take (connect, send, answer); then it counts as a transient failure. */
    @WithDefault("2s")
    Duration attemptTimeout();

    /** Attempts of one operation while the KMS throttles or fails transiently (1: no retry). */
    @WithDefault("4")
    int maxAttempts();

    /** The wait before the first retry; doubled for each further retry, with jitter. */
    @WithDefault("100ms")
    Duration backoffBase();

    /** The longest wait between two attempts. */
    @WithDefault("1s")
    Duration backoffMax();

    /**
     * The client-side request budget: requests per second this instance sends to the KMS (each retry counts).
     * Set it below the customer's KMS quota divided by the number of crypto-service instances, so that Spalce is
     * throttled by itself, predictably, before the KMS throttles it (and the customer's other workloads).
     */
    @WithDefault("100")
    double requestsPerSecond();

    /** Requests that may go at once after a quiet period. */
    @WithDefault("20")
    int burst();

    /** How long a request may wait for room in the budget before the call fails as unavailable (503). */
    @WithDefault("1s")
    Duration budgetWait();

    /** The retry policy these settings describe. */
    static KmsCalls.Policy policy(RemoteCallConfig config) {
        return new KmsCalls.Policy(
                config.maxAttempts(), config.backoffBase(), config.backoffMax(), config.budgetWait());
    }
}
