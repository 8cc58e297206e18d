package dev.spalce.rewrap.job.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.rewrap.job.config.RunnerConfig;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final int BATCH = 200;

    @Test
    void eachJob_getsABudgetOfItsOwn_soOneCustomersRewrapNeverSlowsAnothers() {
        Pacer pacer = new Pacer(config(Map.of("aws-kms", 50.0), 100.0));
        RequestBudget first = pacer.budgetFor("aws-kms");
        RequestBudget second = pacer.budgetFor("aws-kms");

        assertThat(first.reserve(BATCH, Long.MAX_VALUE)).as("a first batch goes at once").isZero();
        assertThat(second.reserve(BATCH, Long.MAX_VALUE)).as("another job's first batch too").isZero();
        assertThat(first.reserve(BATCH, Long.MAX_VALUE)).as("the next batch waits for its 200 requests at 50/s")
                .isBetween(Duration.ofSeconds(3).toNanos(), Duration.ofSeconds(4).toNanos());
        assertThat(first.requestsPerSecond()).isEqualTo(50.0);
        assertThat(pacer.budgetFor("local").requestsPerSecond()).as("a provider not named gets the default")
                .isEqualTo(100.0);
    }

    @Test
    void delay_ofLessThanAMillisecond_isOneMillisecond_whichTimersAccept() {
        assertThat(Pacer.delayOf(1)).isEqualTo(Duration.ofMillis(1));
        assertThat(Pacer.delayOf(999_999)).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void delay_isRoundedUp_soABatchNeverGoesBeforeItsRequestsAreDue() {
        assertThat(Pacer.delayOf(1_000_000)).isEqualTo(Duration.ofMillis(1));
        assertThat(Pacer.delayOf(1_000_001)).isEqualTo(Duration.ofMillis(2));
        assertThat(Pacer.delayOf(2_500_000_000L)).isEqualTo(Duration.ofMillis(2_500));
    }

    /** The two settings the pacer reads; the others are not called. */
    private static RunnerConfig config(Map<String, Double> perProvider, double fallback) {
        return (RunnerConfig) Proxy.newProxyInstance(RunnerConfig.class.getClassLoader(),
                new Class<?>[] {RunnerConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "requestsPerSecond" -> perProvider;
                    case "defaultRequestsPerSecond" -> fallback;
                    case "batchSize" -> BATCH;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
