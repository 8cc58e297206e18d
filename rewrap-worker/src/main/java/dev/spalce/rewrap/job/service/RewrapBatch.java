package dev.spalce.rewrap.job.service;

import dev.spalce.contracts.datakey.DataKeyApi.RewrapResult;
import dev.spalce.contracts.datakey.WrappedKeyItem;
import dev.spalce.contracts.rewrap.WrappedKeys.Swap;
import dev.spalce.rewrap.job.service.port.KeyRewrapper;
import dev.spalce.rewrap.job.service.port.StoredKeys;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of a rewrap job, from its checkpoint: read the next page of records whose data key is not on the
 * target version, have crypto-service re-wrap their keys, and write the new keys back with compare-and-set. No
 * payload is read or decrypted, and no plaintext key passes through the worker.
 *
 * <p>Re-running a batch is harmless: a record already moved is no longer "not on the target" and so is not read
 * again, and a compare-and-set against a value that changed writes nothing.
 */
public final class RewrapBatch {

    private final StoredKeys stored;
    private final KeyRewrapper rewrapper;

    public RewrapBatch(StoredKeys stored, KeyRewrapper rewrapper) {
        this.stored = stored;
        this.rewrapper = rewrapper;
    }

    /**
     * What one batch did.
     *
     * @param read records read
     * @param applied new keys written
     * @param stale new keys not written because live traffic changed the record meanwhile
     * @param failed records crypto-service could not re-wrap (e.g. a wrapped key that does not authenticate)
     * @param firstProblem the problem type of the first failure, or null
     * @param nextCursor the checkpoint after this batch; null at the end of a pass
     * @param endOfPass true when there was nothing more to read
     */
    public record Result(
            int read, int applied, int stale, int failed, String firstProblem, String nextCursor, boolean endOfPass) {}

    /**
     * Runs one batch.
     *
     * @param pace called with the number of records about to be rewrapped, before crypto-service is asked;
     *     completes when the budget allows the KMS requests they cause
     */
    public Uni<Result> run(
            String workspaceId,
            String targetKmsKeyId,
            String cursor,
            int batchSize,
            java.util.function.IntFunction<Uni<Void>> pace) {
        return stored.pageNotOn(workspaceId, targetKmsKeyId, cursor, batchSize).chain(page -> {
            if (page.items().isEmpty()) {
                return Uni.createFrom().item(new Result(0, 0, 0, 0, null, cursor, true));
            }
            boolean endOfPass = page.nextCursor() == null;
            return pace.apply(page.items().size())
                    .chain(() -> rewrapper.rewrap(workspaceId, page.items()))
                    .chain(results -> {
                        List<Swap> writes = new ArrayList<>(results.size());
                        int failed = 0;
                        String firstProblem = null;
                        for (int i = 0; i < results.size(); i++) {
                            WrappedKeyItem key = page.items().get(i);
                            RewrapResult result = results.get(i);
                            if (result.error() == null) {
                                writes.add(new Swap(
                                        key.recordType(),
                                        key.recordId(),
                                        key.wrappedDek(),
                                        result.wrappedDek(),
                                        result.kmsKeyId()));
                            } else {
                                failed++;
                                firstProblem =
                                        firstProblem == null ? result.error().type() : firstProblem;
                            }
                        }
                        int failures = failed;
                        String problem = firstProblem;
                        Uni<Integer> written =
                                writes.isEmpty() ? Uni.createFrom().item(0) : stored.compareAndSet(workspaceId, writes);
                        return written.map(applied -> new Result(
                                page.items().size(),
                                applied,
                                writes.size() - applied,
                                failures,
                                problem,
                                page.nextCursor(),
                                endOfPass));
                    });
        });
    }
}
