package dev.spalce.gateway.readaudit.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * Group commit for counts: reads of the same row that arrive while that row's write is in flight are counted
 * together in the next write, instead of queueing one transaction each on the row's lock. Every caller still
 * completes only once a write that includes its read has committed (or fails with that write), so nothing is
 * served uncounted; what is saved is the round trips, the lock waits and a commit per read.
 *
 * <p>At most one write per key is in flight at a time. The next one starts, with everything that arrived
 * meanwhile, as soon as it completes, on the context of the first caller it carries; every caller carries on on
 * its own context ({@code resumeOn}: a request's Vert.x context, where its session and response live).
 *
 * @param <K> what identifies one row (equal keys are counted together)
 */
final class GroupedCounts<K> {

    /** The reads of one key waiting for the same write. */
    record Batch(int reads, String firstRequestId) {}

    /** Writes {@code batch.reads()} more reads to the row of the key. */
    private final BiFunction<K, Batch, Uni<Void>> write;

    private final Map<K, Row> rows = new ConcurrentHashMap<>();

    GroupedCounts(BiFunction<K, Batch, Uni<Void>> write) {
        this.write = write;
    }

    /**
     * Counts one read of {@code key}; completes once it is durably counted.
     *
     * @param resumeOn where the write that carries this read runs, should it be the first of its batch
     */
    Uni<Void> count(K key, String requestId, Executor resumeOn) {
        return Uni.createFrom().emitter(emitter -> join(key, new Waiter(requestId, resumeOn, emitter)));
    }

    private void join(K key, Waiter waiter) {
        Row row = rows.computeIfAbsent(key, unused -> new Row());
        List<Waiter> batch;
        synchronized (row) {
            row.waiting.add(waiter);
            if (row.writing) {
                return;
            }
            row.writing = true;
            batch = row.takeWaiting();
        }
        // The first read of an idle row is written at once, on its own context.
        writeBatch(key, row, batch);
    }

    private void writeBatch(K key, Row row, List<Waiter> batch) {
        write.apply(key, new Batch(batch.size(), batch.get(0).requestId()))
                .subscribe()
                .with(
                        written -> {
                            // Each caller carries on on its own context, whichever carried the write.
                            batch.forEach(waiter -> waiter.resumeOn()
                                    .execute(() -> waiter.emitter().complete(null)));
                            next(key, row);
                        },
                        failure -> {
                            batch.forEach(waiter -> waiter.resumeOn()
                                    .execute(() -> waiter.emitter().fail(failure)));
                            next(key, row);
                        });
    }

    private void next(K key, Row row) {
        List<Waiter> batch;
        synchronized (row) {
            if (row.waiting.isEmpty()) {
                row.writing = false;
                // An idle row is forgotten; a read that still finds it here starts a write of its own.
                rows.remove(key, row);
                return;
            }
            batch = row.takeWaiting();
        }
        batch.get(0).resumeOn().execute(() -> writeBatch(key, row, batch));
    }

    /** How many keys have a write in flight or reads waiting (for tests). */
    int busyKeys() {
        return rows.size();
    }

    private record Waiter(String requestId, Executor resumeOn, UniEmitter<? super Void> emitter) {}

    private static final class Row {
        private boolean writing;
        private List<Waiter> waiting = new ArrayList<>();

        private List<Waiter> takeWaiting() {
            List<Waiter> taken = waiting;
            waiting = new ArrayList<>();
            return taken;
        }
    }
}
