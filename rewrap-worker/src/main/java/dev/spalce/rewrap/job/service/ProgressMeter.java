package dev.spalce.rewrap.job.service;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The rate of a running job over a sliding window, and the time to completion at that rate. Fed after each batch
 * with the job's running count; the oldest samples fall out of the window, so the rate follows pacing changes
 * and pauses within seconds instead of averaging the job's whole life. Not thread-safe: one per running job.
 */
public final class ProgressMeter {

    private record Sample(long atNanos, long done) {}

    private final long windowNanos;
    private final Deque<Sample> samples = new ArrayDeque<>();

    /** @param windowNanos how far back the rate looks, more than 0 */
    public ProgressMeter(long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("the window must be longer than 0");
        }
        this.windowNanos = windowNanos;
    }

    /** Notes that {@code done} records were done by {@code atNanos} (a monotonic clock). */
    public void record(long atNanos, long done) {
        samples.addLast(new Sample(atNanos, done));
        // Keep one sample at or before the window's start, so the rate spans the whole window.
        long windowStart = atNanos - windowNanos;
        while (samples.size() > 2) {
            Iterator<Sample> oldest = samples.iterator();
            oldest.next();
            if (oldest.next().atNanos() > windowStart) {
                break;
            }
            samples.removeFirst();
        }
    }

    /** Records per second over the window; 0 until two samples apart in time exist. */
    public double ratePerSecond() {
        if (samples.size() < 2) {
            return 0;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long elapsed = last.atNanos() - first.atNanos();
        return elapsed <= 0 ? 0 : (last.done() - first.done()) * 1e9 / elapsed;
    }

    /** Seconds until {@code remaining} more are done at the current rate; null when the rate is unknown or 0. */
    public Long etaSeconds(long remaining) {
        double rate = ratePerSecond();
        if (remaining <= 0) {
            return 0L;
        }
        return rate > 0 ? (long) Math.ceil(remaining / rate) : null;
    }
}
