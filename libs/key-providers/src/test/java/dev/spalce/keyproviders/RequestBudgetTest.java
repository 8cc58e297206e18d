package dev.spalce.keyproviders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves: no real time passes. */
class RequestBudgetTest {

    private long now = 1_000_000_000L;
    private final List<Long> sleeps = new ArrayList<>();

    private RequestBudget budget(double perSecond, int burst) {
        return new RequestBudget(perSecond, burst, () -> now, nanos -> {
            sleeps.add(nanos);
            now += nanos;
        });
    }

    @Test
    void burst_goesAtOnce_thenRequestsArePacedAtTheRate() {
        RequestBudget budget = budget(10, 3);

        for (int i = 0; i < 3; i++) {
            assertThat(budget.acquire(Duration.ZERO)).isTrue();
        }
        assertThat(sleeps).isEmpty();
        assertThat(budget.acquire(Duration.ofSeconds(1))).isTrue();
        assertThat(budget.acquire(Duration.ofSeconds(1))).isTrue();

        assertThat(sleeps).containsExactly(100_000_000L, 100_000_000L);
    }

    @Test
    void acquire_thatWouldWaitTooLong_isRefusedAndTakesNothing() {
        RequestBudget budget = budget(10, 1);
        budget.acquire(Duration.ZERO);

        assertThat(budget.acquire(Duration.ofMillis(99))).isFalse();
        assertThat(budget.acquire(Duration.ofMillis(99))).isFalse();
        now += 100_000_000L;

        assertThat(budget.acquire(Duration.ZERO)).isTrue();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void waitingCallers_queueInOrder_eachOneIntervalAfterThePrevious() {
        RequestBudget budget = new RequestBudget(4, 1, () -> now, nanos -> {});
        budget.acquire(Duration.ZERO);

        assertThat(budget.reserve(1, Long.MAX_VALUE)).isEqualTo(250_000_000L);
        assertThat(budget.reserve(1, Long.MAX_VALUE)).isEqualTo(500_000_000L);
        assertThat(budget.reserve(1, Long.MAX_VALUE)).isEqualTo(750_000_000L);
    }

    @Test
    void reserveOfABatch_waitsForAllItsRequests_soABatchLoopRunsAtTheRate() {
        RequestBudget budget = new RequestBudget(100, 100, () -> now, nanos -> {});
        long waited = 0;

        // 10 batches of 100 requests at 100 requests/s: the first goes at once (the burst), then one a second.
        for (int batch = 0; batch < 10; batch++) {
            long wait = budget.reserve(100, Long.MAX_VALUE);
            waited += wait;
            now += wait;
        }

        assertThat(waited).isEqualTo(Duration.ofSeconds(9).toNanos());
    }

    @Test
    void quietPeriod_refillsOnlyUpToTheBurst() {
        RequestBudget budget = budget(100, 2);
        budget.acquire(Duration.ZERO);
        budget.acquire(Duration.ZERO);
        now += Duration.ofHours(1).toNanos();

        assertThat(budget.acquire(Duration.ZERO)).isTrue();
        assertThat(budget.acquire(Duration.ZERO)).isTrue();
        assertThat(budget.acquire(Duration.ZERO)).isFalse();
    }

    @Test
    void invalidSettings_areRefused() {
        assertThatThrownBy(() -> budget(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget(1, 1).reserve(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
