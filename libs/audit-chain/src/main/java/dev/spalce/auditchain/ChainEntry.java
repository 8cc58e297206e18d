package dev.spalce.auditchain;

import java.util.Objects;

/**
 * An audit record with its place in the chain.
 *
 * @param record what the entry says
 * @param prevHash the hash of the workspace's previous entry ({@link ChainHash#GENESIS} for seq 1)
 * @param entryHash {@code SHA-256(prevHash || canonical(record))}, as stored
 */
public record ChainEntry(AuditRecord record, ChainHash prevHash, ChainHash entryHash) {

    public ChainEntry {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(entryHash, "entryHash");
    }
}
