package dev.spalce.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EnvelopePairedRunTest {

    @Test
    void summarise_steadyRounds_givesTheirMedianWithANarrowInterval_andIsAResult() {
        double[] ratios = new double[40];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = 0.95 + (i % 5 - 2) * 0.005;
        }

        EnvelopePairedRun.Ratio ratio = EnvelopePairedRun.summarise(ratios, new SplittableRandom(1));

        assertThat(ratio.median()).isEqualTo(0.95, within(1e-9));
        assertThat(ratio.low()).isLessThanOrEqualTo(ratio.median());
        assertThat(ratio.high()).isGreaterThanOrEqualTo(ratio.median());
        assertThat(ratio.high() - ratio.low()).isLessThan(0.02);
        assertThat(ratio.isResult()).isTrue();
    }

    @Test
    void summarise_roundsThatDisagree_isNotAResult() {
        double[] ratios = new double[40];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = i % 2 == 0 ? 0.5 : 1.5;
        }

        EnvelopePairedRun.Ratio ratio = EnvelopePairedRun.summarise(ratios, new SplittableRandom(1));

        assertThat(ratio.high() - ratio.low()).isGreaterThan(0.2);
        assertThat(ratio.isResult()).isFalse();
    }
}
