package dev.spalce.rewrap.job.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.contracts.datakey.DataKeyApi.ItemError;
import dev.spalce.contracts.datakey.DataKeyApi.RewrapResult;
import dev.spalce.contracts.datakey.WrappedKeyItem;
import dev.spalce.contracts.rewrap.WrappedKeys.Page;
import dev.spalce.contracts.rewrap.WrappedKeys.Swap;
import dev.spalce.rewrap.job.service.port.KeyRewrapper;
import dev.spalce.rewrap.job.service.port.StoredKeys;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The batch logic over a table of stored keys held in memory, with the data owner's semantics (records not on
 * the target, in id order after a cursor; compare-and-set), and a re-wrapper that marks keys as moved. The real
 * services behind these ports are exercised by the end-to-end tests.
 */
class RewrapBatchTest {

    private static final String OLD = "local:cmk-1#v1";
    private static final String TARGET = "local:cmk-1#v2";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Table table = new Table();
    private final List<Integer> paced = new ArrayList<>();
    private final IntFunction<Uni<Void>> pace = requests -> {
        paced.add(requests);
        return Uni.createFrom().voidItem();
    };

    @Test
    void batches_fromTheStart_moveEveryRecord_andTheLastOneEndsThePass() {
        table.fill(5);
        RewrapBatch batch = new RewrapBatch(table, new Rewrapper(List.of()));

        RewrapBatch.Result first =
                batch.run("ws", TARGET, null, 2, pace).await().atMost(WAIT);
        RewrapBatch.Result second =
                batch.run("ws", TARGET, first.nextCursor(), 2, pace).await().atMost(WAIT);
        RewrapBatch.Result third =
                batch.run("ws", TARGET, second.nextCursor(), 2, pace).await().atMost(WAIT);

        assertThat(List.of(first.applied(), second.applied(), third.applied())).containsExactly(2, 2, 1);
        assertThat(first.endOfPass()).isFalse();
        assertThat(third.endOfPass()).isTrue();
        assertThat(third.nextCursor()).isNull();
        assertThat(table.notOn(TARGET)).isZero();
        assertThat(table.rows.values()).allMatch(row -> row.wrappedDek().equals("rewrapped:" + row.recordId()));
        assertThat(paced).containsExactly(2, 2, 1);
    }

    @Test
    void recordChangedByLiveTraffic_betweenReadAndWrite_keepsItsNewValueAndCountsAsStale() {
        table.fill(3);
        Rewrapper rewrapper = new Rewrapper(List.of()) {
            @Override
            public Uni<List<RewrapResult>> rewrap(String workspaceId, List<WrappedKeyItem> keys) {
                // A user replaces record r1 while crypto-service re-wraps the batch.
                table.rows.put("r1", new WrappedKeyItem("evidence", "r1", TARGET, "written-by-a-user"));
                return super.rewrap(workspaceId, keys);
            }
        };

        RewrapBatch.Result result = new RewrapBatch(table, rewrapper)
                .run("ws", TARGET, null, 10, pace)
                .await()
                .atMost(WAIT);

        assertThat(result.applied()).isEqualTo(2);
        assertThat(result.stale()).isEqualTo(1);
        assertThat(table.rows.get("r1").wrappedDek()).isEqualTo("written-by-a-user");
    }

    @Test
    void itemsCryptoServiceRefuses_areCountedAsFailedWithTheirProblem_andTheOthersStillMove() {
        table.fill(3);

        RewrapBatch.Result result = new RewrapBatch(table, new Rewrapper(List.of("r2")))
                .run("ws", TARGET, null, 10, pace)
                .await()
                .atMost(WAIT);

        assertThat(result.applied()).isEqualTo(2);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(result.firstProblem()).isEqualTo("https://spalce.dev/problems/bad-wrapped-key");
        assertThat(table.rows.get("r2").kmsKeyId()).isEqualTo(OLD);
    }

    @Test
    void rerunningABatchFromAnOldCheckpoint_movesNothingTwice() {
        table.fill(4);
        Rewrapper rewrapper = new Rewrapper(List.of());
        RewrapBatch batch = new RewrapBatch(table, rewrapper);
        batch.run("ws", TARGET, null, 2, pace).await().atMost(WAIT);

        // The worker died before its checkpoint: the next holder runs the same batch again.
        RewrapBatch.Result again =
                batch.run("ws", TARGET, null, 2, pace).await().atMost(WAIT);

        assertThat(again.applied()).isEqualTo(2);
        assertThat(rewrapper.rewrapped).containsExactly("r0", "r1", "r2", "r3");
        assertThat(table.notOn(TARGET)).isZero();
    }

    @Test
    void emptyPage_endsThePass_withoutAskingForKeysOrBudget() {
        Rewrapper rewrapper = new Rewrapper(List.of());

        RewrapBatch.Result result = new RewrapBatch(table, rewrapper)
                .run("ws", TARGET, "r9", 10, pace)
                .await()
                .atMost(WAIT);

        assertThat(result.endOfPass()).isTrue();
        assertThat(result.read()).isZero();
        assertThat(rewrapper.rewrapped).isEmpty();
        assertThat(paced).isEmpty();
    }

    /** The data owner's table, with its API's semantics. */
    private static final class Table implements StoredKeys {
        final Map<String, WrappedKeyItem> rows = new TreeMap<>();

        void fill(int count) {
            for (int i = 0; i < count; i++) {
                rows.put("r" + i, new WrappedKeyItem("evidence", "r" + i, OLD, "wrapped:r" + i));
            }
        }

        long notOn(String target) {
            return rows.values().stream()
                    .filter(row -> !row.kmsKeyId().equals(target))
                    .count();
        }

        @Override
        public Uni<Long> countNotOn(String workspaceId, String targetKmsKeyId) {
            return Uni.createFrom().item(notOn(targetKmsKeyId));
        }

        @Override
        public Uni<Page> pageNotOn(String workspaceId, String targetKmsKeyId, String cursor, int limit) {
            List<WrappedKeyItem> page = rows.values().stream()
                    .filter(row -> cursor == null || row.recordId().compareTo(cursor) > 0)
                    .filter(row -> !row.kmsKeyId().equals(targetKmsKeyId))
                    .limit(limit + 1L)
                    .toList();
            boolean more = page.size() > limit;
            List<WrappedKeyItem> keys = more ? page.subList(0, limit) : page;
            return Uni.createFrom()
                    .item(new Page(keys, more ? keys.get(keys.size() - 1).recordId() : null));
        }

        @Override
        public Uni<Integer> compareAndSet(String workspaceId, List<Swap> keys) {
            int applied = 0;
            for (Swap key : keys) {
                WrappedKeyItem row = rows.get(key.recordId());
                if (row != null && row.wrappedDek().equals(key.expectedWrappedDek())) {
                    rows.put(
                            key.recordId(),
                            new WrappedKeyItem(row.recordType(), row.recordId(), key.kmsKeyId(), key.wrappedDek()));
                    applied++;
                }
            }
            return Uni.createFrom().item(applied);
        }
    }

    /** Moves keys to the target; refuses the records named as not authenticating. */
    private static class Rewrapper implements KeyRewrapper {
        final List<String> broken;
        final List<String> rewrapped = new ArrayList<>();

        Rewrapper(List<String> broken) {
            this.broken = broken;
        }

        @Override
        public Uni<List<RewrapResult>> rewrap(String workspaceId, List<WrappedKeyItem> keys) {
            return Uni.createFrom()
                    .item(keys.stream()
                            .map(key -> {
                                if (broken.contains(key.recordId())) {
                                    return new RewrapResult(
                                            null,
                                            null,
                                            new ItemError(
                                                    "https://spalce.dev/problems/bad-wrapped-key",
                                                    "Bad wrapped key",
                                                    422,
                                                    "the wrapped DEK does not authenticate"));
                                }
                                rewrapped.add(key.recordId());
                                return new RewrapResult("rewrapped:" + key.recordId(), TARGET, null);
                            })
                            .toList());
        }

        @Override
        public Uni<List<Integer>> markOlderVersionsRetirable(String workspaceId, String kmsKeyId) {
            throw new UnsupportedOperationException("a batch never retires versions");
        }

        @Override
        public Uni<List<String>> detachFormerKeys(String workspaceId, String kmsKeyId) {
            throw new UnsupportedOperationException("a batch never detaches keys");
        }
    }
}
