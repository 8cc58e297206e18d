package dev.spalce.cryptoservice.datakey.service;

/**
 * One wrapped DEK of a batch, as the caller sent it (validated item by item, so that one malformed item fails
 * alone).
 *
 * @param kmsKeyId the version that wrapped it, canonical form
 * @param wrappedDek the wrapped DEK, base64
 * @param recordType the record type it was minted for
 * @param recordId the record id it was minted for
 */
public record BatchItem(String kmsKeyId, String wrappedDek, String recordType, String recordId) {
}
