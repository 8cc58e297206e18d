package dev.spalce.cryptoservice.datakey.service;

import dev.spalce.crypto.KmsKeyId;
import dev.spalce.crypto.SecretBytes;

/**
 * A DEK recovered from its wrapped form; the receiver closes the plaintext as soon as it has handed it on.
 *
 * @param plaintext the DEK
 * @param kmsKeyId the version that had wrapped it
 */
public record UnwrappedDataKey(SecretBytes plaintext, KmsKeyId kmsKeyId) implements AutoCloseable {

    /** Erases the plaintext DEK. */
    @Override
    public void close() {
        plaintext.close();
    }
}
