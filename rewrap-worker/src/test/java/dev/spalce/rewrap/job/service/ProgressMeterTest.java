package dev.spalce.rewrap.job.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProgressMeterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void rate_withOneSample_isZero_andTheEtaUnknown() {
        ProgressMeter meter = new ProgressMeter(10 * SECOND);
        meter.record(0, 0);

        assertThat(meter.ratePerSecond()).isZero();
        assertThat(meter.etaSeconds(100)).isNull();
    }

    @Test
    void rate_isRecordsPerSecondBetweenTheWindowsEnds() {
        ProgressMeter meter = new ProgressMeter(10 * SECOND);
        meter.record(0, 0);
        meter.record(2 * SECOND, 500);
        meter.record(4 * SECOND, 1000);

        assertThat(meter.ratePerSecond()).isCloseTo(250, within(1e-9));
        assertThat(meter.etaSeconds(1000)).isEqualTo(4);
        assertThat(meter.etaSeconds(1001)).isEqualTo(5);
    }

    @Test
    void rate_forgetsSamplesOlderThanTheWindow_soItFollowsASlowdown() {
        ProgressMeter meter = new ProgressMeter(5 * SECOND);
        meter.record(0, 0);
        meter.record(10 * SECOND, 10_000); // fast: 1,000/s
        meter.record(15 * SECOND, 10_500); // then slow: 100/s
        meter.record(20 * SECOND, 11_000);

        assertThat(meter.ratePerSecond()).isCloseTo(100, within(1e-9));
    }

    @Test
    void eta_ofNothingLeft_isZero_evenWithoutARate() {
        ProgressMeter meter = new ProgressMeter(SECOND);

        assertThat(meter.etaSeconds(0)).isZero();
    }

    @Test
    void window_ofZero_isRefused() {
        assertThatThrownBy(() -> new ProgressMeter(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
