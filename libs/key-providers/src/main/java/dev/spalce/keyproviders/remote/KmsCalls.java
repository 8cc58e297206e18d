package dev.spalce.keyproviders.remote;

import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KeyUnavailableException.Reason;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.RequestBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * How a remote key provider (a cloud KMS, Vault) sends each request: one token of its {@link RequestBudget} per
 * attempt, retries with exponential backoff while the KMS throttles or fails transiently, and metrics per attempt.
 * The same policy for every provider, so that a KMS's quota is respected the same way whichever SDK or HTTP client
 * talks to it (the SDKs' own retries are switched off for that reason).
 *
 * <p>Metrics, tagged {@code provider} and {@code operation}: {@code spalce.kms.requests} (a timer per attempt, also
 * tagged {@code outcome}: {@code ok} or the failure kind), {@code spalce.kms.errors} (failed attempts, tagged
 * {@code kind}) and {@code spalce.kms.retries}.
 */
public final class KmsCalls {

    /**
     * @param maxAttempts attempts of one call, 1 or more (1: no retry)
     * @param backoffBase the wait before the first retry; doubled for each further one
     * @param backoffMax the longest wait between two attempts
     * @param budgetWait the longest an attempt may wait for the request budget before it counts as unavailable
     */
    public record Policy(int maxAttempts, Duration backoffBase, Duration backoffMax, Duration budgetWait) {
        public Policy {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("max attempts must be 1 or more");
            }
            Objects.requireNonNull(backoffBase, "backoffBase");
            Objects.requireNonNull(backoffMax, "backoffMax");
            Objects.requireNonNull(budgetWait, "budgetWait");
        }
    }

    /**
     * What a failed attempt means.
     *
     * @param typed the provider-independent failure the caller gets if no retry follows
     * @param retryable whether another attempt may succeed (throttling, a 5xx, no answer)
     * @param kind a short, stable name for the metrics ({@code throttled}, {@code unavailable}, {@code bad-ciphertext}...)
     */
    public record Failure(RuntimeException typed, boolean retryable, String kind) {}

    /** Maps a provider's own exception (SDK, HTTP) to a {@link Failure}. Never puts key material in a message. */
    @FunctionalInterface
    public interface Classifier {
        Failure classify(RuntimeException failure);
    }

    /** A failure that makes the key unavailable for {@code reason}, with the provider's own exception as cause. */
    public static Failure unavailable(
            KmsKeyId subject, Reason reason, RuntimeException cause, boolean retryable, String kind) {
        return new Failure(new KeyUnavailableException(subject, reason, cause), retryable, kind);
    }

    /**
     * The last resort of every classifier: a failure the provider already raised in provider-independent terms
     * (its own checks of an answer) passes unchanged; anything else unexpected makes the provider unavailable,
     * without a retry.
     */
    public static Failure typedOrUnexpected(KmsKeyId subject, RuntimeException failure) {
        if (failure instanceof dev.spalce.crypto.BadCiphertextException
                || failure instanceof IllegalArgumentException
                || failure instanceof KeyUnavailableException) {
            return new Failure(failure, false, "rejected");
        }
        return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, false, "unexpected");
    }

    private final String providerId;
    private final Policy policy;
    private final RequestBudget budget;
    private final RequestBudget.Sleeper sleeper;
    private final DoubleSupplier random;
    private final MeterRegistry registry;

    /**
     * @param sleeper how to wait between attempts
     * @param random a source of uniform values in [0, 1) for the jitter
     */
    public KmsCalls(
            String providerId,
            Policy policy,
            RequestBudget budget,
            RequestBudget.Sleeper sleeper,
            DoubleSupplier random,
            MeterRegistry registry) {
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The production setup: the system clock and real sleeps. */
    public static KmsCalls of(String providerId, Policy policy, RequestBudget budget, MeterRegistry registry) {
        return new KmsCalls(
                providerId,
                policy,
                budget,
                nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)),
                () -> ThreadLocalRandom.current().nextDouble(),
                registry);
    }

    /**
     * Runs one provider operation.
     *
     * @param operation the metric name of the operation ({@code wrap}, {@code unwrap}, {@code rewrap}, ...)
     * @param subject the key the failure names
     * @param attempt one request to the KMS
     * @throws RuntimeException the {@link Failure#typed()} of the last attempt, or {@link KeyUnavailableException}
     *     {@code PROVIDER_UNAVAILABLE} when the request budget has no room in time
     */
    public <T> T call(String operation, KmsKeyId subject, Supplier<T> attempt, Classifier classifier) {
        for (int number = 1; ; number++) {
            if (!budget.acquire(policy.budgetWait())) {
                errors(operation, "budget-exhausted").increment();
                throw new KeyUnavailableException(
                        subject,
                        Reason.PROVIDER_UNAVAILABLE,
                        new IllegalStateException("the client-side request budget of provider " + providerId
                                + " has no room within " + policy.budgetWait()));
            }
            long start = System.nanoTime();
            Failure failure;
            try {
                T result = attempt.get();
                timer(operation, "ok").record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                return result;
            } catch (RuntimeException e) {
                failure = classifier.classify(e);
            }
            timer(operation, failure.kind())
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            errors(operation, failure.kind()).increment();
            if (!failure.retryable() || number >= policy.maxAttempts()) {
                throw failure.typed();
            }
            Counter.builder("spalce.kms.retries")
                    .tag("provider", providerId)
                    .tag("operation", operation)
                    .register(registry)
                    .increment();
            try {
                sleeper.sleep(backoffNanos(number));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure.typed();
            }
        }
    }

    /**
     * The wait after failed attempt {@code number}: base * 2^(number-1), capped, then "equal jitter" (a uniform
     * value in its upper half), so that clients throttled together do not retry together yet always back off.
     */
    long backoffNanos(int number) {
        long cap = policy.backoffMax().toNanos();
        long delay = policy.backoffBase().toNanos();
        for (int i = 1; i < number && delay < cap; i++) {
            delay *= 2;
        }
        delay = Math.min(delay, cap);
        return delay / 2 + (long) (random.getAsDouble() * (delay - delay / 2));
    }

    private Timer timer(String operation, String outcome) {
        return Timer.builder("spalce.kms.requests")
                .description("Requests to a key provider, per attempt")
                .tag("provider", providerId)
                .tag("operation", operation)
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter errors(String operation, String kind) {
        return Counter.builder("spalce.kms.errors")
                .description("Failed requests to a key provider")
                .tag("provider", providerId)
                .tag("operation", operation)
                .tag("kind", kind)
                .register(registry);
    }
}
