package dev.spalce.evidence.datakey.service;

/**
 * A stored record's wrapped DEK with the record it was minted for (crypto-service checks the binding).
 *
 * @param recordType {@code evidence}, {@code personnel}, {@code integration} or {@code check-result}
 */
public record RecordKey(String recordType, String recordId, WrappedDek wrapped) {}
