package dev.spalce.cryptoservice.datakey.service;

import dev.spalce.crypto.SecretBytes;
import dev.spalce.keyproviders.WrappedKey;

/**
 * A fresh DEK: its plaintext, which the receiver closes as soon as it has handed it on, and its wrapped form.
 *
 * @param plaintext the DEK
 * @param wrapped the DEK wrapped under the workspace's current CMK version
 */
public record MintedDataKey(SecretBytes plaintext, WrappedKey wrapped) implements AutoCloseable {

    /** Erases the plaintext DEK. */
    @Override
    public void close() {
        plaintext.close();
    }
}
