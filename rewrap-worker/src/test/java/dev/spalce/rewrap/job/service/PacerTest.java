package dev.spalce.rewrap.job.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.rewrap.job.config.RunnerConfig;
import dev.spalce.testsupport.RewrapBudgetTable;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
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

        assertThat(first.reserve(BATCH, Long.MAX_VALUE))
                .as("a first batch goes at once")
                .isZero();
        assertThat(second.reserve(BATCH, Long.MAX_VALUE))
                .as("another job's first batch too")
                .isZero();
        assertThat(first.reserve(BATCH, Long.MAX_VALUE))
                .as("the next batch waits for its 200 requests at 50/s")
                .isBetween(
                        Duration.ofSeconds(3).toNanos(), Duration.ofSeconds(4).toNanos());
        assertThat(first.requestsPerSecond()).isEqualTo(50.0);
        assertThat(pacer.budgetFor("local").requestsPerSecond())
                .as("a provider not named gets the default")
                .isEqualTo(100.0);
    }

    @Test
    void providerWithoutServerSideRewrap_spendsTwoRequestsPerRecord_soItsBudgetAllowsHalfAsManyRecords() {
        Pacer pacer = new Pacer(config(Map.of("gcp-kms", 200.0, "azure-kv", 80.0, "aws-kms", 1100.0), 100.0));

        assertThat(pacer.budgetFor("gcp-kms").requestsPerSecond()).isEqualTo(100.0);
        assertThat(pacer.budgetFor("azure-kv").requestsPerSecond()).isEqualTo(40.0);
        assertThat(pacer.budgetFor("aws-kms").requestsPerSecond())
                .as("one ReEncrypt per record")
                .isEqualTo(1100.0);
    }

    @Test
    void changeOfKey_pacesForBothProviders_theLowerBudgetWinning() {
        Pacer pacer = new Pacer(config(Map.of("local", 10_000.0, "pkcs11", 400.0, "aws-kms", 1100.0), 100.0));

        assertThat(pacer.budgetFor("aws-kms", "local").requestsPerSecond())
                .as("a wrap at AWS per record: AWS's budget is the lower")
                .isEqualTo(1100.0);
        assertThat(pacer.budgetFor("local", "aws-kms").requestsPerSecond())
                .as("an unwrap at AWS per record, moving away from it")
                .isEqualTo(1100.0);
        assertThat(pacer.budgetFor("pkcs11", "aws-kms").requestsPerSecond()).isEqualTo(400.0);
        assertThat(pacer.budgetFor("aws-kms", "aws-kms").requestsPerSecond())
                .as("another key at the same KMS: an unwrap and a wrap there per record")
                .isEqualTo(550.0);
        assertThat(pacer.budgetFor("aws-kms", null).requestsPerSecond())
                .as("no key change: as before")
                .isEqualTo(1100.0);
    }

    @Test
    void defaultBudgets_asTheServiceReadsThem_areTheOnesTheReadmeTableGives() throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(PacerTest.class.getResource("/application.properties")))
                // Quarkus's own form of durations ("30s"), which the service's settings use.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(RunnerConfig.class)
                .build();
        RunnerConfig runner = config.getConfigMapping(RunnerConfig.class);
        Map<String, Double> table = RewrapBudgetTable.fromReadme();

        assertThat(table)
                .as("the README table names every provider crypto-service has")
                .containsOnlyKeys("local", "pkcs11", "aws-kms", "gcp-kms", "azure-kv", "vault-transit", "any other");
        table.forEach((provider, requestsPerSecond) -> assertThat(
                        provider.equals("any other")
                                ? runner.defaultRequestsPerSecond()
                                : runner.requestsPerSecond().get(provider))
                .as(provider)
                .isEqualTo(requestsPerSecond));
        assertThat(runner.requestsPerSecond().get("local"))
                .as("local is unbounded in practice")
                .isGreaterThanOrEqualTo(1_000_000.0);
        assertThat(runner.requestsPerSecond().get("aws-kms"))
                .as("a fifth of AWS KMS's 5,500/s")
                .isEqualTo(1100.0);
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
        return (RunnerConfig) Proxy.newProxyInstance(
                RunnerConfig.class.getClassLoader(),
                new Class<?>[] {RunnerConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "requestsPerSecond" -> perProvider;
                    case "defaultRequestsPerSecond" -> fallback;
                    case "batchSize" -> BATCH;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
