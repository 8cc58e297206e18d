package dev.spalce.evidence.datakey.model;

import java.util.Objects;
import java.util.UUID;

/**
 * One record's data key as stored: the record (its type and id, with the workspace what the wrap is bound to), the
 * CMK version that wrapped the DEK, and the wrapped DEK ({@link EnvelopedRecord}'s two key columns).
 *
 * @param recordType {@code evidence}, {@code personnel}, {@code integration} or {@code check-result}
 */
public record WrappedKeyRow(String recordType, UUID recordId, String kmsKeyId, byte[] wrappedDek) {

    public WrappedKeyRow {
        Objects.requireNonNull(recordType, "recordType");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(kmsKeyId, "kmsKeyId");
        Objects.requireNonNull(wrappedDek, "wrappedDek");
    }

    /** The key columns of {@code record}, a record of type {@code recordType}. */
    public static WrappedKeyRow of(String recordType, EnvelopedRecord record) {
        return new WrappedKeyRow(recordType, record.id, record.kmsKeyId, record.wrappedDek);
    }
}
