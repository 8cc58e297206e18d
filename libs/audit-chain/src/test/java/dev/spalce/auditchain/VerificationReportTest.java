package dev.spalce.auditchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a report calls verified, and the one line it prints for each case. */
class VerificationReportTest {

    private static VerificationReport intact(long firstSeq, long lastSeq, long sealedThroughSeq, long unsealed) {
        return new VerificationReport(
                true,
                "ws",
                firstSeq,
                lastSeq,
                lastSeq - firstSeq + 1,
                sealedThroughSeq > 0 ? 1 : 0,
                sealedThroughSeq > 0 ? List.of("0123456789abcdef") : List.of(),
                null,
                null,
                firstSeq == 1,
                sealedThroughSeq,
                unsealed,
                null,
                0,
                sealedThroughSeq > 0 ? Instant.EPOCH : null);
    }

    @Test
    void verified_whenACheckpointCoversAtLeastTheFirstEntry() {
        assertThat(intact(5, 9, 5, 4).verified()).isTrue();
        assertThat(intact(5, 9, 4, 5).verified()).isFalse();
        assertThat(intact(1, 9, 0, 9).verified()).isFalse();
    }

    @Test
    void verified_withNoEntryAtAll() {
        VerificationReport empty =
                new VerificationReport(true, "ws", 1, 0, 0, 0, List.of(), null, null, true, 0, 0, null, 0, null);

        assertThat(empty.verified()).isTrue();
    }

    @Test
    void summary_namesEachOutcome() {
        assertThat(intact(1, 9, 9, 0).summary())
                .isEqualTo(
                        "VERIFIED workspace ws: entries 1..9 (9 entries, from the first entry), 1 signed checkpoint(s)"
                                + " by key 0123456789abcdef");
        assertThat(intact(1, 9, 6, 3).summary())
                .startsWith("VERIFIED workspace ws: entries 1..6 (6 entries, from the first entry)")
                .contains(System.lineSeparator()
                        + "UNSEALED entries 7..9 (3 entries): no signed checkpoint covers them yet, so they are NOT"
                        + " verified");
        assertThat(intact(1, 9, 0, 9).summary())
                .startsWith("NOT VERIFIED workspace ws: entries 1..9 (9 entries) are linked but no signed checkpoint");
        VerificationReport broken = new VerificationReport(
                false, "ws", 1, 3, 3, 0, List.of(), 4L, "hash mismatch", true, 0, 0, null, 0, null);
        assertThat(broken.verified()).isFalse();
        assertThat(broken.summary())
                .isEqualTo("BROKEN workspace ws at seq 4: hash mismatch (entries before it verified: 3)");
    }
}
