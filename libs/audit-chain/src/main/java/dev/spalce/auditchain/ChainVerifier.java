package dev.spalce.auditchain;

import dev.spalce.auditchain.AuditExport.CheckpointLine;
import dev.spalce.auditchain.AuditExport.EntryLine;
import dev.spalce.auditchain.AuditExport.ExportFormatException;
import dev.spalce.auditchain.AuditExport.Header;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Re-checks an export line by line, in constant memory whatever its length: every entry's seq follows the one
 * before, commits to the previous entry's hash and hashes to what it claims; every checkpoint's signature
 * verifies (under a trusted key, when trusted keys are given) and matches the entry it covers; and no
 * checkpoint covers an entry the export does not contain (a removed tail). Stops at the first break.
 */
public final class ChainVerifier {

    private final List<byte[]> trustedKeys;

    /**
     * @param trustedKeys public keys (X.509 DER) that checkpoints must be signed by; empty to accept any key
     *     the export names, which proves integrity against the export's own keys only
     */
    public ChainVerifier(List<byte[]> trustedKeys) {
        this.trustedKeys = List.copyOf(trustedKeys);
    }

    /** Verifies a whole export read from {@code export}. */
    public VerificationReport verify(BufferedReader export) {
        Session session = start();
        try {
            String line;
            while ((line = export.readLine()) != null && session.accept(line)) {
                // accept() returns false at the first break; finish() reports it.
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return session.finish();
    }

    /** A verification fed one line at a time, for exports that arrive as a stream. */
    public Session start() {
        return new Session();
    }

    /** See {@link #start()}. Not thread-safe. */
    public final class Session {
        private final Run run = new Run();
        private long lineNumber;
        private VerificationReport broken;

        private Session() {
        }

        /** Checks one line; returns false once the chain is broken (later lines are then ignored). */
        public boolean accept(String line) {
            if (broken != null) {
                return false;
            }
            lineNumber++;
            if (line.isBlank()) {
                return true;
            }
            AuditExport.Line parsed;
            try {
                parsed = AuditExport.parse(line);
            } catch (ExportFormatException e) {
                broken = run.broken(run.lastSeq + 1, "line " + lineNumber + " is unreadable: " + e.getMessage());
                return false;
            }
            String problem = run.accept(parsed, lineNumber);
            if (problem != null) {
                broken = run.broken(run.brokenSeq, problem);
                return false;
            }
            return true;
        }

        /** The verdict on everything accepted so far, treating it as the whole export. */
        public VerificationReport finish() {
            return broken != null ? broken : run.finish();
        }
    }

    private final class Run {
        private String workspaceId;
        private long firstSeq;
        private long lastSeq;
        private long entries;
        private int checkpoints;
        private ChainHash lastHash;
        private boolean anchoredAtGenesis;
        private long brokenSeq;
        private final TreeMap<Long, Checkpoint> pendingCheckpoints = new TreeMap<>();
        private final TreeSet<String> signingKeys = new TreeSet<>();

        /** Returns the problem with this line, or null. */
        String accept(AuditExport.Line line, long lineNumber) {
            if (line instanceof Header header) {
                if (workspaceId != null) {
                    brokenSeq = lastSeq + 1;
                    return "line " + lineNumber + ": a second header";
                }
                workspaceId = header.workspaceId();
                return null;
            }
            if (workspaceId == null) {
                brokenSeq = 1;
                return "the export does not start with a header line";
            }
            if (line instanceof EntryLine entryLine) {
                return entry(entryLine.entry());
            }
            return checkpoint(((CheckpointLine) line).checkpoint());
        }

        private String entry(ChainEntry entry) {
            AuditRecord record = entry.record();
            brokenSeq = record.seq();
            if (!workspaceId.equals(record.workspaceId())) {
                return "entry belongs to workspace '" + record.workspaceId() + "'";
            }
            if (entries == 0) {
                firstSeq = record.seq();
                anchoredAtGenesis = record.seq() == 1;
                if (anchoredAtGenesis && !entry.prevHash().equals(ChainHash.GENESIS)) {
                    return "the first entry does not start from the genesis hash";
                }
            } else if (record.seq() <= lastSeq) {
                return "entries out of order: seq " + record.seq() + " after seq " + lastSeq;
            } else if (record.seq() != lastSeq + 1) {
                brokenSeq = lastSeq + 1;
                return "entries " + (lastSeq + 1) + ".." + (record.seq() - 1) + " are missing";
            } else if (!entry.prevHash().equals(lastHash)) {
                return "the entry does not follow the previous one (its prevHash is not seq " + lastSeq + "'s hash)";
            }
            if (!HashChain.link(entry.prevHash(), record).equals(entry.entryHash())) {
                return "the entry's content does not match its hash (altered)";
            }
            lastSeq = record.seq();
            lastHash = entry.entryHash();
            entries++;
            Checkpoint waiting = pendingCheckpoints.remove(lastSeq);
            return waiting == null ? null : covers(waiting);
        }

        private String checkpoint(Checkpoint checkpoint) {
            brokenSeq = checkpoint.seq();
            if (!workspaceId.equals(checkpoint.workspaceId())) {
                return "checkpoint belongs to workspace '" + checkpoint.workspaceId() + "'";
            }
            if (!checkpoint.signatureValid()) {
                return "checkpoint signature does not verify";
            }
            if (!trustedKeys.isEmpty() && trustedKeys.stream().noneMatch(checkpoint::signedBy)) {
                return "checkpoint signed by key " + checkpoint.keyId() + ", which is not a trusted key";
            }
            if (entries > 0 && checkpoint.seq() == lastSeq) {
                return covers(checkpoint);
            }
            if (entries > 0 && checkpoint.seq() < lastSeq) {
                return "checkpoint for seq " + checkpoint.seq() + " is not next to its entry";
            }
            pendingCheckpoints.put(checkpoint.seq(), checkpoint);
            return null;
        }

        private String covers(Checkpoint checkpoint) {
            brokenSeq = checkpoint.seq();
            if (!checkpoint.entryHash().equals(lastHash)) {
                return "the chain head at seq " + checkpoint.seq() + " differs from the signed checkpoint";
            }
            checkpoints++;
            signingKeys.add(checkpoint.keyId());
            return null;
        }

        VerificationReport finish() {
            if (workspaceId == null) {
                return broken(0, "the export is empty");
            }
            Map.Entry<Long, Checkpoint> beyond = pendingCheckpoints.firstEntry();
            if (beyond != null) {
                return broken(lastSeq + 1, "a checkpoint covers seq " + beyond.getKey()
                        + " but the export ends at seq " + lastSeq + " (entries removed from the end)");
            }
            return new VerificationReport(true, workspaceId, firstSeq, lastSeq, entries, checkpoints,
                    new ArrayList<>(signingKeys), null, null, anchoredAtGenesis);
        }

        VerificationReport broken(long atSeq, String problem) {
            return new VerificationReport(false, workspaceId, firstSeq, lastSeq, entries, checkpoints,
                    new ArrayList<>(signingKeys), atSeq, problem, anchoredAtGenesis);
        }
    }
}
