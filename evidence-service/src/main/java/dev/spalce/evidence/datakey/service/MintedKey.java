package dev.spalce.evidence.datakey.service;

import dev.spalce.crypto.DataKey;

/**
 * A fresh DEK for one record and what to store next to its ciphertext. Encrypt with {@link #dek()}, store
 * {@link #wrappedDek()} and {@link #kmsKeyId()}, and close this at once (try-with-resources): closing erases the
 * plaintext key.
 *
 * @param wrappedDek the DEK wrapped under {@code kmsKeyId}
 * @param kmsKeyId the CMK version that wrapped it
 */
public record MintedKey(DataKey dek, byte[] wrappedDek, String kmsKeyId) implements AutoCloseable {

    @Override
    public void close() {
        dek.close();
    }
}
