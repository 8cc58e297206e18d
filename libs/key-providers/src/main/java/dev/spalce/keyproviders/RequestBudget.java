package dev.spalce.keyproviders;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A client-side request budget: a token bucket of {@code requestsPerSecond} refilled continuously, holding at
 * most {@code burst} requests. Used wherever Spalce must stay under a customer's KMS quota: crypto-service's
 * calls to a remote provider take one token each, and rewrap-worker paces each job's batches by the requests they
 * will cause.
 *
 * <p>{@link #reserve} never blocks: it says how long the caller must wait, so that both blocking callers
 * ({@link #acquire}) and reactive ones (a delayed {@code Uni}) use the same bucket. A reservation may take the
 * bucket below zero, so that the callers after it queue behind it in order. Thread-safe. The clock and the sleeper
 * are injectable so that tests need no real time.
 */
public final class RequestBudget {

    /** Waits; {@link Thread#sleep(long, int)} in production. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double requestsPerSecond;
    private final double tokensPerNano;
    private final double capacity;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private double tokens;
    private long refilledAt;

    /**
     * @param requestsPerSecond the sustained rate, more than 0
     * @param burst how many requests may go at once after a quiet period, 1 or more
     * @param clock a monotonic clock in nanoseconds ({@link System#nanoTime()} in production)
     * @param sleeper how {@link #acquire} waits for a token
     */
    public RequestBudget(double requestsPerSecond, int burst, LongSupplier clock, Sleeper sleeper) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("a request budget needs a positive, finite requests-per-second");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("a request budget's burst must be 1 or more");
        }
        this.requestsPerSecond = requestsPerSecond;
        this.tokensPerNano = requestsPerSecond / NANOS_PER_SECOND;
        this.capacity = burst;
        this.clock = clock;
        this.sleeper = sleeper;
        this.tokens = burst;
        this.refilledAt = clock.getAsLong();
    }

    /** A budget on the system clock; {@link #acquire} sleeps the calling thread. */
    public static RequestBudget of(double requestsPerSecond, int burst) {
        return new RequestBudget(
                requestsPerSecond,
                burst,
                System::nanoTime,
                nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /** The sustained rate. */
    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    /**
     * Takes a token, waiting for it if needed.
     *
     * @param maxWait the longest the caller may wait
     * @return false, having taken nothing, if the token would come later than {@code maxWait}
     */
    public boolean acquire(Duration maxWait) {
        long wait = reserve(1, maxWait.toNanos());
        if (wait < 0) {
            return false;
        }
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Reserves {@code requests} tokens: the nanoseconds until they are the caller's (0: at once), or -1 if that
     * is beyond {@code maxWaitNanos}, in which case nothing is reserved.
     */
    public synchronized long reserve(int requests, long maxWaitNanos) {
        if (requests < 1) {
            throw new IllegalArgumentException("reserve at least one request");
        }
        long now = clock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
        refilledAt = now;
        if (tokens >= requests) {
            tokens -= requests;
            return 0;
        }
        long wait = (long) Math.ceil((requests - tokens) / tokensPerNano);
        if (wait > maxWaitNanos) {
            return -1;
        }
        tokens -= requests;
        return wait;
    }
}
