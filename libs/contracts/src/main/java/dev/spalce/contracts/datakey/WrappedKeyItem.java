package dev.spalce.contracts.datakey;

/**
 * One record's data key, wrapped, as it crosses the wire: an item of crypto-service's unwrap and rewrap requests
 * ({@link DataKeyApi.BatchRequest}) and of the rewrap support API's pages
 * ({@link dev.spalce.contracts.rewrap.WrappedKeys.Page}). Never a plaintext key.
 *
 * @param recordType the kind of record, e.g. {@code evidence}; with the record id and the workspace, what the wrap is
 *     bound to
 * @param recordId the record's id
 * @param kmsKeyId the CMK version that wrapped it, canonical form
 * @param wrappedDek the wrapped DEK, base64
 */
public record WrappedKeyItem(String recordType, String recordId, String kmsKeyId, String wrappedDek) {}
