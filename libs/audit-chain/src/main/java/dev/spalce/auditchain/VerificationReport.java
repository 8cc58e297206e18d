package dev.spalce.auditchain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a verification found: either an intact range, or the first place the chain breaks and why. Entries after
 * the last signed checkpoint are reported as unsealed: the chain links them, but no signature vouches for them,
 * so whoever controls the database could have removed entries after them without a trace.
 *
 * @param intact whether every entry and checkpoint checked out (no break); see {@link #sealedThroughSeq} for
 *     how much of it a signature vouches for
 * @param workspaceId the workspace, from the export header
 * @param firstSeq the first entry's seq, or 0 if there was none
 * @param lastSeq the last entry's seq verified intact (before the break, if broken)
 * @param entries how many entries were verified intact
 * @param checkpoints how many checkpoints (from the export or the anchor) were verified against the chain
 * @param signingKeys the ids of the keys whose checkpoints were verified
 * @param brokenAtSeq where the chain breaks, or null when intact
 * @param problem what is wrong there, or null when intact
 * @param anchoredAtGenesis whether the range starts at the workspace's first entry; if not, it is verified
 *     relative to the previous hash its first entry names
 * @param sealedThroughSeq the highest seq a verified checkpoint covers, or 0: entries up to it are verified
 * @param unsealedEntries entries after {@code sealedThroughSeq}: linked, but covered by no checkpoint
 * @param unsealedSince when the oldest unsealed entry happened, or null when none is unsealed
 * @param anchoredCheckpoints how many checkpoints from the anchor (write-once storage or the checkpoints topic)
 *     were checked against the chain
 * @param newestCheckpointAt when the newest verified checkpoint was signed, or null
 */
public record VerificationReport(
        boolean intact,
        String workspaceId,
        long firstSeq,
        long lastSeq,
        long entries,
        int checkpoints,
        List<String> signingKeys,
        Long brokenAtSeq,
        String problem,
        boolean anchoredAtGenesis,
        long sealedThroughSeq,
        long unsealedEntries,
        Instant unsealedSince,
        int anchoredCheckpoints,
        Instant newestCheckpointAt) {

    /** Intact, and a signed checkpoint vouches for at least one entry (or there is no entry at all). */
    public boolean verified() {
        return intact && (entries == 0 || sealedThroughSeq >= firstSeq);
    }

    /** One line for a terminal (two when part of the range is unsealed). */
    public String summary() {
        if (!intact) {
            return String.format(
                    "BROKEN workspace %s at seq %d: %s (entries before it verified: %d)",
                    workspaceId, brokenAtSeq, problem, entries);
        }
        if (!verified()) {
            return String.format(
                    "NOT VERIFIED workspace %s: entries %d..%d (%d entries) are linked but no signed "
                            + "checkpoint covers any of them%s",
                    workspaceId, firstSeq, lastSeq, entries, unsealedNote());
        }
        String verified = String.format(
                "VERIFIED workspace %s: entries %d..%d (%d entries%s), %d signed checkpoint(s)%s%s",
                workspaceId,
                firstSeq,
                sealedThroughSeq,
                entries - unsealedEntries,
                anchoredAtGenesis ? ", from the first entry" : "",
                checkpoints,
                signingKeys.isEmpty() ? "" : " by key " + String.join(", ", signingKeys),
                anchoredCheckpoints > 0 ? ", " + anchoredCheckpoints + " of them matched against the anchor" : "");
        if (unsealedEntries == 0) {
            return verified;
        }
        return verified
                + System.lineSeparator()
                + String.format(
                        "UNSEALED entries %d..%d (%d entries%s): no signed checkpoint covers them yet, so they are NOT verified",
                        sealedThroughSeq + 1, lastSeq, unsealedEntries, unsealedNote());
    }

    private String unsealedNote() {
        if (unsealedSince == null) {
            return "";
        }
        Duration age = Duration.between(unsealedSince, Instant.now());
        return ", the oldest from " + CanonicalJson.time(unsealedSince) + ", " + Math.max(0, age.toSeconds())
                + " s ago";
    }
}
