package dev.spalce.auditchain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The per-workspace hash chain: {@code entryHash = SHA-256(prevHash || canonical(record))}, where a workspace's
 * first entry (seq 1) has {@code prevHash} = 32 zero bytes and every later entry the hash of the one before.
 * Changing, removing or reordering any entry changes every hash after it.
 */
public final class HashChain {

    private HashChain() {}

    /** The hash of {@code record} appended after an entry whose hash is {@code previous}. */
    public static ChainHash link(ChainHash previous, AuditRecord record) {
        MessageDigest sha256 = sha256();
        sha256.update(previous.bytes());
        sha256.update(CanonicalJson.of(record));
        return ChainHash.of(sha256.digest());
    }

    /** The entry that {@code record} becomes when appended after {@code previous}. */
    public static ChainEntry append(ChainHash previous, AuditRecord record) {
        return new ChainEntry(record, previous, link(previous, record));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
