package dev.spalce.benchmarks.audit;

import dev.spalce.auditchain.AuditExport;
import dev.spalce.auditchain.AuditRecord;
import dev.spalce.auditchain.ChainEntry;
import dev.spalce.auditchain.ChainHash;
import dev.spalce.auditchain.ChainVerifier;
import dev.spalce.auditchain.CheckpointSigner;
import dev.spalce.auditchain.HashChain;
import dev.spalce.auditchain.VerificationReport;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The audit chain at a million entries, end to end on disk: chains and writes a 1,000,000-entry JSON Lines export
 * (a signed checkpoint every 10,000 entries), then verifies it with the offline verifier, reading line by line.
 * A single-shot measurement of a long run, so not JMH: {@code java -cp benchmarks.jar
 * dev.spalce.benchmarks.audit.AuditChainBenchmark [entries]}.
 */
public final class AuditChainBenchmark {

    private AuditChainBenchmark() {}

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String workspace = "bench-" + UUID.randomUUID();
        CheckpointSigner signer = CheckpointSigner.ephemeral();
        Path export = Files.createTempFile("spalce-audit-", ".jsonl");
        try {
            long writeStart = System.nanoTime();
            try (BufferedWriter out = Files.newBufferedWriter(export, StandardCharsets.UTF_8)) {
                out.write(AuditExport.headerLine(workspace, Instant.now()));
                out.newLine();
                ChainHash previous = ChainHash.GENESIS;
                Instant start = Instant.parse("2026-11-24T00:00:00Z");
                for (int seq = 1; seq <= entries; seq++) {
                    AuditRecord record = new AuditRecord(
                            workspace,
                            seq,
                            UUID.randomUUID().toString(),
                            start.plusMillis(seq),
                            "/spalce/evidence-service",
                            "evidence.uploaded",
                            "user",
                            "user-" + (seq % 97),
                            "evidence",
                            "ev-" + seq,
                            "success",
                            "req-" + seq,
                            "203.0.113.7",
                            Map.of("bytes", Integer.toString(seq)));
                    ChainEntry entry = HashChain.append(previous, record);
                    out.write(AuditExport.entryLine(entry));
                    out.newLine();
                    if (seq % 10_000 == 0 || seq == entries) {
                        out.write(AuditExport.checkpointLine(
                                signer.sign(workspace, seq, entry.entryHash(), Instant.now())));
                        out.newLine();
                    }
                    previous = entry.entryHash();
                }
            }
            double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

            long verifyStart = System.nanoTime();
            VerificationReport report;
            try (BufferedReader in = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
                report = new ChainVerifier(List.of(signer.publicKey())).verify(in);
            }
            double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
            if (!report.intact() || report.entries() != entries) {
                throw new IllegalStateException("the benchmark's own chain did not verify: " + report.summary());
            }
            System.out.printf(
                    "entries=%d%nexport_bytes=%d%nchain_and_write_seconds=%.2f%nchain_and_write_per_second=%.0f%n"
                            + "verify_seconds=%.2f%nverify_per_second=%.0f%ncheckpoints=%d%n",
                    entries,
                    Files.size(export),
                    writeSeconds,
                    entries / writeSeconds,
                    verifySeconds,
                    entries / verifySeconds,
                    report.checkpoints());
        } finally {
            Files.deleteIfExists(export);
        }
    }
}
