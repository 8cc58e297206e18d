package dev.spalce.rewrap.job.service.port;

/**
 * A new wrapped DEK for a record, to be written only where the record still holds {@code expectedWrappedDek}:
 * a record that live traffic changed in the meantime keeps its new value.
 */
public record RewrappedKey(
        String recordType, String recordId, String expectedWrappedDek, String wrappedDek, String kmsKeyId) {}
