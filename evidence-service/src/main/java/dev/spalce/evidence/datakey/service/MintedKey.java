package dev.spalce.evidence.datakey.service;

import dev.spalce.crypto.DataKey;

/**
 * A fresh DEK for one record and its wrapped form. Encrypt with {@link #dek()}, store {@link #wrapped()}, and close
 * this at once (try-with-resources): closing erases the plaintext key.
 */
public record MintedKey(DataKey dek, WrappedDek wrapped) implements AutoCloseable {

    @Override
    public void close() {
        dek.close();
    }
}
