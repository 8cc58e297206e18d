package dev.spalce.auditchain;

import java.util.List;

/**
 * What a verification found: either an intact range, or the first place the chain breaks and why.
 *
 * @param intact whether every entry and checkpoint checked out
 * @param workspaceId the workspace, from the export header
 * @param firstSeq the first entry's seq, or 0 if there was none
 * @param lastSeq the last entry's seq verified intact (before the break, if broken)
 * @param entries how many entries were verified intact
 * @param checkpoints how many checkpoint signatures and heads were verified
 * @param signingKeys the ids of the keys whose checkpoints were verified
 * @param brokenAtSeq where the chain breaks, or null when intact
 * @param problem what is wrong there, or null when intact
 * @param anchoredAtGenesis whether the range starts at the workspace's first entry; if not, it is verified
 *     relative to the previous hash its first entry names
 */
public record VerificationReport(boolean intact, String workspaceId, long firstSeq, long lastSeq, long entries,
                                 int checkpoints, List<String> signingKeys, Long brokenAtSeq, String problem,
                                 boolean anchoredAtGenesis) {

    /** One line for a terminal. */
    public String summary() {
        if (intact) {
            return String.format("VERIFIED workspace %s: entries %d..%d (%d entries%s), %d signed checkpoint(s)%s",
                    workspaceId, firstSeq, lastSeq, entries, anchoredAtGenesis ? ", from the first entry" : "",
                    checkpoints, signingKeys.isEmpty() ? "" : " by key " + String.join(", ", signingKeys));
        }
        return String.format("BROKEN workspace %s at seq %d: %s (entries before it verified: %d)",
                workspaceId, brokenAtSeq, problem, entries);
    }
}
