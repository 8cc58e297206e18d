package dev.spalce.auditchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainVerifierTest {

    private static final String WORKSPACE = "ws-7f3c";
    private static final CheckpointSigner SIGNER = CheckpointSigner.ephemeral();

    /** An export of {@code count} chained entries with a checkpoint after every {@code checkpointEvery}. */
    private static List<String> export(int count, int checkpointEvery) {
        return export(count, checkpointEvery, "alice");
    }

    private static List<String> export(int count, int checkpointEvery, String actor) {
        List<String> lines = new ArrayList<>();
        lines.add(AuditExport.headerLine(WORKSPACE, Instant.parse("2026-11-24T10:00:00Z")));
        ChainHash previous = ChainHash.GENESIS;
        for (int seq = 1; seq <= count; seq++) {
            AuditRecord record = new AuditRecord(
                    WORKSPACE,
                    seq,
                    "event-" + seq,
                    Instant.parse("2026-11-24T09:00:00Z").plusSeconds(seq),
                    "/spalce/evidence-service",
                    "evidence.uploaded",
                    "user",
                    actor,
                    "evidence",
                    "ev-" + seq,
                    "success",
                    "req-" + seq,
                    "203.0.113.7",
                    Map.of("bytes", Integer.toString(seq * 100)));
            ChainEntry entry = HashChain.append(previous, record);
            lines.add(AuditExport.entryLine(entry));
            if (seq % checkpointEvery == 0) {
                lines.add(AuditExport.checkpointLine(SIGNER.sign(WORKSPACE, seq, entry.entryHash(), Instant.now())));
            }
            previous = entry.entryHash();
        }
        return lines;
    }

    private static VerificationReport verify(List<String> lines, List<byte[]> trusted) {
        return new ChainVerifier(trusted).verify(new BufferedReader(new StringReader(String.join("\n", lines))));
    }

    private static VerificationReport verify(List<String> lines) {
        return verify(lines, List.of());
    }

    private static int indexOfEntry(List<String> lines, long seq) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"type\":\"entry\"") && lines.get(i).contains("\"seq\":" + seq + ",")) {
                return i;
            }
        }
        throw new AssertionError("no entry " + seq);
    }

    @Test
    void verify_intactExport_reportsTheWholeRangeAndItsCheckpoints() {
        VerificationReport report = verify(export(50, 10), List.of(SIGNER.publicKey()));

        assertThat(report.intact()).isTrue();
        assertThat(report.firstSeq()).isEqualTo(1);
        assertThat(report.lastSeq()).isEqualTo(50);
        assertThat(report.entries()).isEqualTo(50);
        assertThat(report.checkpoints()).isEqualTo(5);
        assertThat(report.anchoredAtGenesis()).isTrue();
        assertThat(report.signingKeys()).containsExactly(SIGNER.keyId());
        assertThat(report.summary()).startsWith("VERIFIED workspace ws-7f3c: entries 1..50");
    }

    @Test
    void verify_withAlteredEntry_breaksAtThatEntry() {
        List<String> lines = export(20, 5);
        int index = indexOfEntry(lines, 12);
        lines.set(index, lines.get(index).replace("\"outcome\":\"success\"", "\"outcome\":\"denied\""));

        VerificationReport report = verify(lines);

        assertThat(report.intact()).isFalse();
        assertThat(report.brokenAtSeq()).isEqualTo(12);
        assertThat(report.problem()).contains("altered");
        assertThat(report.entries()).isEqualTo(11);
    }

    @Test
    void verify_withDeletedEntry_reportsTheGap() {
        List<String> lines = export(20, 5);
        lines.remove(indexOfEntry(lines, 7));

        VerificationReport report = verify(lines);

        assertThat(report.intact()).isFalse();
        assertThat(report.brokenAtSeq()).isEqualTo(7);
        assertThat(report.problem()).contains("entries 7..7 are missing");
    }

    @Test
    void verify_withReorderedEntries_breaksAtTheFirstOutOfPlace() {
        List<String> lines = export(20, 50);
        int eight = indexOfEntry(lines, 8);
        String swapped = lines.get(eight);
        lines.set(eight, lines.get(eight + 1));
        lines.set(eight + 1, swapped);

        VerificationReport report = verify(lines);

        assertThat(report.intact()).isFalse();
        assertThat(report.brokenAtSeq()).isEqualTo(8);
    }

    @Test
    void verify_withTailRemovedAfterACheckpoint_detectsTheTruncation() {
        List<String> lines = export(20, 10);
        // Keep the checkpoint line of seq 20 but drop entries 18..20 (and their absence would otherwise pass).
        String lastCheckpoint = lines.get(lines.size() - 1);
        List<String> truncated = new ArrayList<>(lines.subList(0, indexOfEntry(lines, 18)));
        truncated.add(lastCheckpoint);

        VerificationReport report = verify(truncated);

        assertThat(report.intact()).isFalse();
        assertThat(report.problem()).contains("covers seq 20 but the export ends at seq 17");
    }

    @Test
    void verify_withChainRewrittenConsistently_isCaughtByTheSignedCheckpoint() {
        // An attacker with database access rewrites entry 3 and recomputes every hash after it.
        List<String> original = export(10, 10);
        List<String> forged = new ArrayList<>(List.of(original.get(0)));
        ChainHash previous = ChainHash.GENESIS;
        for (int seq = 1; seq <= 10; seq++) {
            ChainEntry entry =
                    ((AuditExport.EntryLine) AuditExport.parse(original.get(indexOfEntry(original, seq)))).entry();
            AuditRecord record = entry.record();
            if (seq == 3) {
                record = new AuditRecord(
                        record.workspaceId(),
                        3,
                        record.eventId(),
                        record.occurredAt(),
                        record.source(),
                        record.action(),
                        record.actorType(),
                        "mallory",
                        record.targetType(),
                        record.targetId(),
                        record.outcome(),
                        record.requestId(),
                        record.sourceAddress(),
                        record.details());
            }
            ChainEntry rewritten = HashChain.append(previous, record);
            forged.add(AuditExport.entryLine(rewritten));
            previous = rewritten.entryHash();
        }
        forged.add(original.get(original.size() - 1));

        VerificationReport report = verify(forged);

        assertThat(report.intact()).isFalse();
        assertThat(report.brokenAtSeq()).isEqualTo(10);
        assertThat(report.problem()).contains("differs from the signed checkpoint");
    }

    @Test
    void verify_withForgedSignatureOrUntrustedKey_fails() {
        List<String> lines = export(5, 5);
        int last = lines.size() - 1;
        Checkpoint real = ((AuditExport.CheckpointLine) AuditExport.parse(lines.get(last))).checkpoint();
        Checkpoint byAnotherKey = CheckpointSigner.ephemeral().sign(WORKSPACE, 5, real.entryHash(), real.signedAt());
        byte[] badSignature = real.signature();
        badSignature[0] ^= 1;
        Checkpoint forged =
                new Checkpoint(WORKSPACE, 5, real.entryHash(), real.signedAt(), real.publicKey(), badSignature);

        lines.set(last, AuditExport.checkpointLine(forged));
        assertThat(verify(lines).problem()).isEqualTo("checkpoint for seq 5: signature does not verify");

        lines.set(last, AuditExport.checkpointLine(byAnotherKey));
        assertThat(verify(lines).intact()).as("valid under the key it names").isTrue();
        assertThat(verify(lines, List.of(SIGNER.publicKey())).problem()).contains("not a trusted key");
    }

    @Test
    void verify_rangeNotStartingAtOne_isVerifiedRelativeToItsAnchor() {
        List<String> lines = export(30, 100);
        List<String> range = new ArrayList<>(List.of(lines.get(0)));
        range.addAll(lines.subList(indexOfEntry(lines, 11), indexOfEntry(lines, 20) + 1));

        VerificationReport report = verify(range);

        assertThat(report.intact()).isTrue();
        assertThat(report.firstSeq()).isEqualTo(11);
        assertThat(report.anchoredAtGenesis()).isFalse();
    }

    @Test
    void verify_withGarbageLineOrNoHeader_isBrokenNotThrown() {
        List<String> lines = export(3, 10);
        lines.add(2, "{not json");
        assertThat(verify(lines).problem()).contains("line 3 is unreadable");
        assertThat(verify(List.of()).problem()).isEqualTo("the export is empty");
        assertThat(verify(export(3, 10).subList(1, 4)).problem()).contains("does not start with a header");
    }

    @Test
    void cli_exitsZeroWhenIntactAndOneWhenBroken(@TempDir Path dir) throws Exception {
        List<String> lines = export(12, 4);
        Path good = Files.write(dir.resolve("good.jsonl"), lines);
        lines.remove(indexOfEntry(lines, 5));
        Path bad = Files.write(dir.resolve("bad.jsonl"), lines);
        String key = Base64.getEncoder().encodeToString(SIGNER.publicKey());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        assertThat(VerifierCli.run(new String[] {good.toString(), "--trusted-key", key}, print, print))
                .isZero();
        assertThat(VerifierCli.run(new String[] {bad.toString()}, print, print)).isEqualTo(1);
        assertThat(VerifierCli.run(new String[] {}, print, print)).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("VERIFIED workspace ws-7f3c: entries 1..12")
                .contains("BROKEN workspace ws-7f3c at seq 5");
    }

    private static List<Checkpoint> checkpointsOf(List<String> lines) {
        return lines.stream()
                .filter(line -> line.contains("\"type\":\"checkpoint\""))
                .map(line -> ((AuditExport.CheckpointLine) AuditExport.parse(line)).checkpoint())
                .toList();
    }

    private static VerificationReport verifyAgainst(List<String> lines, List<Checkpoint> anchors, Duration maxAge) {
        return new ChainVerifier(List.of(SIGNER.publicKey()), anchors, maxAge, Clock.systemUTC())
                .verify(new BufferedReader(new StringReader(String.join("\n", lines))));
    }

    @Test
    void verify_withEntriesAfterTheLastCheckpoint_reportsThemUnsealedNotVerified() {
        VerificationReport report = verify(export(12, 5), List.of(SIGNER.publicKey()));

        assertThat(report.intact()).isTrue();
        assertThat(report.sealedThroughSeq()).isEqualTo(10);
        assertThat(report.unsealedEntries()).isEqualTo(2);
        assertThat(report.unsealedSince()).isEqualTo(Instant.parse("2026-11-24T09:00:11Z"));
        assertThat(report.summary())
                .contains("VERIFIED workspace ws-7f3c: entries 1..10 (10 entries")
                .contains("UNSEALED entries 11..12 (2 entries, the oldest from 2026-11-24T09:00:11.000000Z");
    }

    @Test
    void verify_withNoCheckpointAtAll_isNotVerified() {
        VerificationReport report = verify(export(4, 100));

        assertThat(report.intact()).isTrue();
        assertThat(report.verified()).isFalse();
        assertThat(report.unsealedEntries()).isEqualTo(4);
        assertThat(report.summary()).startsWith("NOT VERIFIED workspace ws-7f3c: entries 1..4");
    }

    @Test
    void verify_withTailAndItsCheckpointsRemoved_failsAgainstTheAnchor() {
        List<String> lines = export(20, 5);
        List<Checkpoint> anchors = checkpointsOf(lines);
        // Entries 14..20 gone, and with them the table's checkpoints at 15 and 20: what remains is consistent.
        List<String> truncated = new ArrayList<>(lines.subList(0, indexOfEntry(lines, 14)));

        assertThat(verify(truncated, List.of(SIGNER.publicKey())).intact())
                .as("without the anchor")
                .isTrue();
        VerificationReport report = verifyAgainst(truncated, anchors, null);

        assertThat(report.intact()).isFalse();
        assertThat(report.brokenAtSeq()).isEqualTo(14);
        assertThat(report.problem())
                .contains("covers seq 20 but the log ends at seq 13")
                .contains("14..20 are missing");
    }

    @Test
    void verify_withLogRewrittenBelowAnAnchor_failsAtThatEntry() {
        List<String> original = export(10, 5);
        List<Checkpoint> anchors = checkpointsOf(original);
        // Rolled back and regrown: same positions, other entries, no checkpoint of the table left to compare.
        List<String> other = new ArrayList<>(export(10, 100, "mallory"));

        VerificationReport report = verifyAgainst(other, anchors, null);

        assertThat(report.intact()).isFalse();
        assertThat(report.brokenAtSeq()).isEqualTo(5);
        assertThat(report.problem()).contains("contradicts the anchored checkpoint");
    }

    @Test
    void verify_withAnchorByAnotherKey_failsAsUntrusted() {
        List<String> lines = export(5, 5);
        Checkpoint real = checkpointsOf(lines).get(0);
        Checkpoint byAnotherKey = CheckpointSigner.ephemeral().sign(WORKSPACE, 5, real.entryHash(), real.signedAt());

        VerificationReport report = verifyAgainst(lines, List.of(byAnotherKey), null);

        assertThat(report.intact()).isFalse();
        assertThat(report.problem()).contains("anchored checkpoint for seq 5 is signed by key " + byAnotherKey.keyId());
    }

    @Test
    void verify_withOnlyOldCheckpoints_failsTheMaximumAge() {
        List<String> lines = export(10, 5);

        assertThat(verifyAgainst(lines, List.of(), Duration.ofMinutes(5)).intact())
                .isTrue();
        VerificationReport stale = new ChainVerifier(
                        List.of(SIGNER.publicKey()),
                        List.of(),
                        Duration.ofMinutes(5),
                        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)))
                .verify(new BufferedReader(new StringReader(String.join("\n", lines))));

        assertThat(stale.intact()).isFalse();
        assertThat(stale.problem()).contains("the newest checkpoint (seq 10").contains("is older than PT5M");
    }

    @Test
    void cli_withAnchorsFolder_detectsTheRemovedTail(@TempDir Path dir) throws Exception {
        List<String> lines = export(12, 4);
        Path anchors = Files.createDirectories(dir.resolve("anchors"));
        int n = 0;
        for (String checkpoint : lines.stream()
                .filter(l -> l.contains("\"type\":\"checkpoint\""))
                .toList()) {
            Files.writeString(anchors.resolve("checkpoint-" + (n++) + ".json"), checkpoint);
        }
        Path truncated = Files.write(dir.resolve("truncated.jsonl"), lines.subList(0, indexOfEntry(lines, 10)));
        String key = Base64.getEncoder().encodeToString(SIGNER.publicKey());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        assertThat(VerifierCli.run(new String[] {truncated.toString(), "--trusted-key", key}, print, print))
                .isZero();
        assertThat(VerifierCli.run(
                        new String[] {truncated.toString(), "--trusted-key", key, "--anchors", anchors.toString()},
                        print,
                        print))
                .isEqualTo(1);
        assertThat(VerifierCli.run(new String[] {truncated.toString(), "--max-checkpoint-age", "soon"}, print, print))
                .isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("BROKEN workspace ws-7f3c at seq 10")
                .contains("covers seq 12 but the log ends at seq 9");
    }

    @Test
    void session_acceptsGoodAndBlankLines_thenRefusesEverythingAfterTheBreak() {
        List<String> lines = export(3, 100);
        ChainVerifier.Session session = new ChainVerifier(List.of()).start();

        assertThat(session.accept(lines.get(0))).isTrue();
        assertThat(session.accept("   ")).isTrue();
        assertThat(session.accept(lines.get(1))).isTrue();
        assertThat(session.accept("{not json")).isFalse();
        assertThat(session.accept(lines.get(2))).as("after the break").isFalse();
        VerificationReport report = session.finish();
        assertThat(report.intact()).isFalse();
        assertThat(report.brokenAtSeq()).isEqualTo(2);
        assertThat(report.problem()).startsWith("line 4 is unreadable");
    }

    @Test
    void session_reportsTheEntryThatBreaksTheChain_andStopsThere() {
        List<String> lines = export(4, 100);
        lines.remove(indexOfEntry(lines, 3));
        ChainVerifier.Session session = new ChainVerifier(List.of()).start();

        assertThat(session.accept(lines.get(0))).isTrue();
        assertThat(session.accept(lines.get(1))).isTrue();
        assertThat(session.accept(lines.get(2))).isTrue();
        assertThat(session.accept(lines.get(3))).as("seq 4 after seq 2").isFalse();
        assertThat(session.finish().brokenAtSeq()).isEqualTo(3);
    }

    @Test
    void verify_withAGapOfSeveralEntries_namesTheFirstMissingOne() {
        List<String> lines = export(9, 100);
        for (long seq = 4; seq <= 6; seq++) {
            lines.remove(indexOfEntry(lines, seq));
        }

        VerificationReport report = verify(lines);

        assertThat(report.brokenAtSeq()).isEqualTo(4);
        assertThat(report.problem()).isEqualTo("entries 4..6 are missing");
    }

    @Test
    void verify_withACheckpointLineAfterLaterEntries_isRefusedAsOutOfPlace() {
        List<String> lines = export(6, 3);
        int checkpointAt3 = indexOfEntry(lines, 3) + 1;
        String checkpoint = lines.remove(checkpointAt3);
        lines.add(indexOfEntry(lines, 5) + 1, checkpoint);

        VerificationReport report = verify(lines);

        assertThat(report.intact()).isFalse();
        assertThat(report.brokenAtSeq()).isEqualTo(3);
        assertThat(report.problem()).isEqualTo("checkpoint for seq 3 is not next to its entry");
    }

    @Test
    void verify_withACheckpointLineBeforeItsEntry_sealsOnceTheEntryArrives() {
        List<String> lines = export(6, 3);
        String checkpoint = lines.remove(indexOfEntry(lines, 6) + 1);
        lines.add(indexOfEntry(lines, 5), checkpoint);

        VerificationReport report = verify(lines, List.of(SIGNER.publicKey()));

        assertThat(report.intact()).as(report.summary()).isTrue();
        assertThat(report.sealedThroughSeq()).isEqualTo(6);
        assertThat(report.checkpoints()).isEqualTo(2);
    }

    @Test
    void verify_withAnchorsOnly_sealsWhatTheyCover_andKeepsTheNewestTime() {
        List<String> lines = export(10, 5);
        List<Checkpoint> anchors = checkpointsOf(lines);
        List<String> withoutCheckpoints = new ArrayList<>(lines.stream()
                .filter(line -> !line.contains("\"type\":\"checkpoint\""))
                .toList());

        VerificationReport report = verifyAgainst(withoutCheckpoints, anchors, null);

        assertThat(report.intact()).as(report.summary()).isTrue();
        assertThat(report.verified()).isTrue();
        assertThat(report.sealedThroughSeq()).isEqualTo(10);
        assertThat(report.anchoredCheckpoints()).isEqualTo(2);
        assertThat(report.newestCheckpointAt()).isEqualTo(anchors.get(1).signedAt());
    }

    @Test
    void verify_rangeExport_ignoresAnchorsBeforeItsFirstEntry() {
        List<String> lines = export(10, 5);
        List<Checkpoint> anchors = checkpointsOf(lines);
        List<String> fromSeq6 = new ArrayList<>();
        fromSeq6.add(lines.get(0));
        fromSeq6.addAll(lines.subList(indexOfEntry(lines, 6), lines.size()));

        VerificationReport report = verifyAgainst(fromSeq6, anchors, null);

        assertThat(report.intact()).as(report.summary()).isTrue();
        assertThat(report.firstSeq()).isEqualTo(6);
        assertThat(report.anchoredCheckpoints()).isEqualTo(1);
    }
}
