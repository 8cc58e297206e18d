package dev.spalce.rewrap.job.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacerTest {

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
}
