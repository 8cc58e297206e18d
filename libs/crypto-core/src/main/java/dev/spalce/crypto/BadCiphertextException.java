package dev.spalce.crypto;

/**
 * A ciphertext that does not decrypt: modified, truncated, reordered, of an unknown format version, moved to
 * another record, field or tenant (other associated data), or encrypted under another key. Deliberately one
 * type with a generic message: which of these happened is not observable from AES-GCM, and telling an
 * attacker which check failed would only help them.
 */
public final class BadCiphertextException extends CryptoException {

    public BadCiphertextException(String message) {
        super(message);
    }

    public BadCiphertextException(String message, Throwable cause) {
        super(message, cause);
    }
}
