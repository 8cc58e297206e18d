package dev.spalce.auditchain;

import dev.spalce.auditchain.AuditExport.CheckpointLine;
import dev.spalce.auditchain.AuditExport.EntryLine;
import dev.spalce.auditchain.AuditExport.ExportFormatException;
import dev.spalce.auditchain.AuditExport.Header;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Re-checks an export line by line, in constant memory whatever its length: every entry's seq follows the one
 * before, commits to the previous entry's hash and hashes to what it claims; every checkpoint's signature
 * verifies (under a trusted key, when trusted keys are given) and matches the entry it covers; no checkpoint
 * covers an entry the export does not contain (a removed tail). Anchored checkpoints — copies kept outside the
 * database, in write-once storage or a consumer of the checkpoints topic — are checked the same way, so a log
 * that lost its tail together with the checkpoints in its own table, or was rolled back to a backup, still
 * fails. Entries after the last checkpoint are reported as unsealed, never as verified. Stops at the first break.
 */
public final class ChainVerifier {

    private final List<byte[]> trustedKeys;
    private final List<Checkpoint> anchored;
    private final Duration maxCheckpointAge;
    private final Clock clock;

    /**
     * @param trustedKeys public keys (X.509 DER) that checkpoints must be signed by; empty to accept any key
     *     the export names, which proves integrity against the export's own keys only
     */
    public ChainVerifier(List<byte[]> trustedKeys) {
        this(trustedKeys, List.of(), null, Clock.systemUTC());
    }

    /**
     * @param trustedKeys as above
     * @param anchored checkpoints kept outside the database (any workspace: those of the export's are used);
     *     each must verify under a trusted key and match the export's chain, and none may lie beyond its end
     * @param maxCheckpointAge when not null, the newest verified checkpoint must be younger than this
     * @param clock what "now" is, for ages
     */
    public ChainVerifier(
            List<byte[]> trustedKeys, Collection<Checkpoint> anchored, Duration maxCheckpointAge, Clock clock) {
        this.trustedKeys = List.copyOf(trustedKeys);
        this.anchored = List.copyOf(anchored);
        this.maxCheckpointAge = maxCheckpointAge;
        this.clock = clock;
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

        private Session() {}

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
        private ChainHash lastHash;
        private boolean anchoredAtGenesis;
        private long brokenSeq;
        private final TreeMap<Long, Checkpoint> pendingCheckpoints = new TreeMap<>();
        private final TreeSet<String> signingKeys = new TreeSet<>();
        /** The anchored checkpoints of this export's workspace, by seq. */
        private final TreeMap<Long, Checkpoint> anchors = new TreeMap<>();
        /** The seqs a verified checkpoint covers (from the export, the anchor or both). */
        private final TreeSet<Long> sealedSeqs = new TreeSet<>();

        private int anchorsMatched;
        private Instant newestCheckpointAt;
        private Instant unsealedSince;

        /** Returns the problem with this line, or null. */
        String accept(AuditExport.Line line, long lineNumber) {
            if (line instanceof Header header) {
                if (workspaceId != null) {
                    brokenSeq = lastSeq + 1;
                    return "line " + lineNumber + ": a second header";
                }
                workspaceId = header.workspaceId();
                return anchorsOf(workspaceId);
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

        /** Takes the anchored checkpoints of the workspace; each must be genuine before anything is compared to it. */
        private String anchorsOf(String workspace) {
            for (Checkpoint anchor : anchored) {
                if (!anchor.workspaceId().equals(workspace)) {
                    continue;
                }
                brokenSeq = anchor.seq();
                String problem = signatureProblem(anchor, "anchored checkpoint");
                if (problem != null) {
                    return problem;
                }
                Checkpoint other = anchors.putIfAbsent(anchor.seq(), anchor);
                if (other != null && !other.entryHash().equals(anchor.entryHash())) {
                    return "two anchored checkpoints for seq " + anchor.seq() + " name different heads";
                }
            }
            return null;
        }

        private String signatureProblem(Checkpoint checkpoint, String what) {
            if (!checkpoint.signatureValid()) {
                return what + " for seq " + checkpoint.seq() + ": signature does not verify";
            }
            if (!trustedKeys.isEmpty() && trustedKeys.stream().noneMatch(checkpoint::signedBy)) {
                return what + " for seq " + checkpoint.seq() + " is signed by key " + checkpoint.keyId()
                        + ", which is not a trusted key";
            }
            return null;
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
                // Anchors before the range are outside what this export claims.
                anchors.headMap(firstSeq).clear();
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
            if (unsealedSince == null) {
                unsealedSince = record.occurredAt();
            }
            Checkpoint anchor = anchors.remove(lastSeq);
            if (anchor != null) {
                if (!anchor.entryHash().equals(lastHash)) {
                    return "the entry at seq " + lastSeq + " contradicts the anchored checkpoint signed at "
                            + CanonicalJson.time(anchor.signedAt()) + " (the log was rewritten or rolled back)";
                }
                anchorsMatched++;
                seal(anchor);
            }
            Checkpoint waiting = pendingCheckpoints.remove(lastSeq);
            return waiting == null ? null : covers(waiting);
        }

        private String checkpoint(Checkpoint checkpoint) {
            brokenSeq = checkpoint.seq();
            if (!workspaceId.equals(checkpoint.workspaceId())) {
                return "checkpoint belongs to workspace '" + checkpoint.workspaceId() + "'";
            }
            String problem = signatureProblem(checkpoint, "checkpoint");
            if (problem != null) {
                return problem;
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
            seal(checkpoint);
            return null;
        }

        private void seal(Checkpoint checkpoint) {
            sealedSeqs.add(checkpoint.seq());
            signingKeys.add(checkpoint.keyId());
            unsealedSince = null;
            if (newestCheckpointAt == null || checkpoint.signedAt().isAfter(newestCheckpointAt)) {
                newestCheckpointAt = checkpoint.signedAt();
            }
        }

        VerificationReport finish() {
            if (workspaceId == null) {
                return broken(0, "the export is empty");
            }
            Map.Entry<Long, Checkpoint> beyond = pendingCheckpoints.firstEntry();
            if (beyond != null) {
                return broken(
                        lastSeq + 1,
                        "a checkpoint covers seq " + beyond.getKey() + " but the export ends at seq " + lastSeq
                                + " (entries removed from the end)");
            }
            Map.Entry<Long, Checkpoint> anchoredBeyond = anchors.lastEntry();
            if (anchoredBeyond != null) {
                return broken(
                        lastSeq + 1,
                        "the anchored checkpoint signed at "
                                + CanonicalJson.time(anchoredBeyond.getValue().signedAt()) + " covers seq "
                                + anchoredBeyond.getKey() + " but the log ends at seq " + lastSeq + ": entries "
                                + (lastSeq + 1) + ".." + anchoredBeyond.getKey()
                                + " are missing (removed from the end, or the log was rolled back)");
            }
            if (maxCheckpointAge != null) {
                Instant oldestAllowed = clock.instant().minus(maxCheckpointAge);
                if (newestCheckpointAt == null) {
                    return broken(
                            firstSeq,
                            "no verified checkpoint, and one younger than " + maxCheckpointAge + " is required");
                }
                if (newestCheckpointAt.isBefore(oldestAllowed)) {
                    return broken(
                            sealedSeqs.last() + 1,
                            "the newest checkpoint (seq " + sealedSeqs.last()
                                    + ", signed at " + CanonicalJson.time(newestCheckpointAt) + ") is older than "
                                    + maxCheckpointAge);
                }
            }
            return report(true, null, null);
        }

        VerificationReport broken(long atSeq, String problem) {
            return report(false, atSeq, problem);
        }

        private VerificationReport report(boolean intact, Long brokenAtSeq, String problem) {
            long sealedThrough = sealedSeqs.isEmpty() ? 0 : sealedSeqs.last();
            long unsealed = entries == 0 ? 0 : lastSeq - Math.max(sealedThrough, firstSeq - 1);
            return new VerificationReport(
                    intact,
                    workspaceId,
                    firstSeq,
                    lastSeq,
                    entries,
                    sealedSeqs.size(),
                    new ArrayList<>(signingKeys),
                    brokenAtSeq,
                    problem,
                    anchoredAtGenesis,
                    sealedThrough,
                    unsealed,
                    unsealed > 0 ? unsealedSince : null,
                    anchorsMatched,
                    newestCheckpointAt);
        }
    }
}
