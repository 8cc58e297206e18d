package dev.spalce.rewrap.job.service.port;

/**
 * One record's data key as the data owner stores it: what identifies the record (and binds its wrap), the
 * version that wrapped it, and the wrapped DEK (base64). Never a plaintext key.
 */
public record StoredKey(String recordType, String recordId, String kmsKeyId, String wrappedDek) {}
