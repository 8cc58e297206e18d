package dev.spalce.gateway.readaudit.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class GroupedCountsTest {

    private static final Executor HERE = Runnable::run;

    /** The writes asked for, each held open until the test completes or fails it. */
    private final List<Write> writes = new ArrayList<>();

    private final GroupedCounts<String> counts = new GroupedCounts<>((key, batch) -> {
        CompletableFuture<Void> done = new CompletableFuture<>();
        writes.add(new Write(key, batch, done));
        return Uni.createFrom().completionStage(done);
    });

    private record Write(String key, GroupedCounts.Batch batch, CompletableFuture<Void> done) {}

    @Test
    void readsArrivingWhileARowIsWritten_areCountedTogetherInTheNextWrite() {
        var first = subscribe(counts.count("row", "r1", HERE));
        var later = List.of(
                subscribe(counts.count("row", "r2", HERE)),
                subscribe(counts.count("row", "r3", HERE)),
                subscribe(counts.count("row", "r4", HERE)));

        assertThat(writes)
                .singleElement()
                .satisfies(write -> assertThat(write.batch()).isEqualTo(new GroupedCounts.Batch(1, "r1")));
        writes.get(0).done().complete(null);

        first.assertCompleted();
        later.forEach(UniAssertSubscriber::assertNotTerminated);
        assertThat(writes).hasSize(2);
        assertThat(writes.get(1).batch()).isEqualTo(new GroupedCounts.Batch(3, "r2"));
        writes.get(1).done().complete(null);

        later.forEach(UniAssertSubscriber::assertCompleted);
        assertThat(counts.busyKeys()).isZero();
    }

    @Test
    void aFailedWrite_failsEveryReadItCarried_andTheNextBatchIsStillWritten() {
        subscribe(counts.count("row", "r1", HERE));
        var carried = List.of(subscribe(counts.count("row", "r2", HERE)), subscribe(counts.count("row", "r3", HERE)));
        writes.get(0).done().complete(null);
        var afterwards = subscribe(counts.count("row", "r4", HERE));

        writes.get(1).done().completeExceptionally(new IllegalStateException("database gone"));

        carried.forEach(read -> read.assertFailedWith(IllegalStateException.class, "database gone"));
        afterwards.assertNotTerminated();
        assertThat(writes.get(2).batch()).isEqualTo(new GroupedCounts.Batch(1, "r4"));
        writes.get(2).done().complete(null);
        afterwards.assertCompleted();
    }

    @Test
    void differentRows_areWrittenIndependently() {
        var a = subscribe(counts.count("a", "r1", HERE));
        var b = subscribe(counts.count("b", "r2", HERE));

        assertThat(writes).extracting(Write::key).containsExactly("a", "b");
        writes.get(1).done().complete(null);

        b.assertCompleted();
        a.assertNotTerminated();
    }

    @Test
    void theNextBatch_isWrittenOnTheContextOfItsFirstRead_andEachReadResumesOnItsOwn() {
        List<String> ran = new ArrayList<>();
        Executor contextOfR2 = task -> {
            ran.add("r2");
            task.run();
        };
        Executor contextOfR3 = task -> {
            ran.add("r3");
            task.run();
        };
        subscribe(counts.count("row", "r1", HERE));
        subscribe(counts.count("row", "r2", contextOfR2));
        subscribe(counts.count("row", "r3", contextOfR3));

        writes.get(0).done().complete(null);
        assertThat(ran).containsExactly("r2");
        writes.get(1).done().complete(null);

        assertThat(ran).containsExactly("r2", "r2", "r3");
    }

    private static UniAssertSubscriber<Void> subscribe(Uni<Void> count) {
        return count.subscribe().withSubscriber(UniAssertSubscriber.create());
    }
}
