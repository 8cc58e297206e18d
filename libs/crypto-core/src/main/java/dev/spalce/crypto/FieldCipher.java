package dev.spalce.crypto;

/**
 * Encrypts and decrypts one field value (a column of a row, a credential) under one {@link DataKey}, bound to
 * {@link AssociatedData#forField its field}. The cipher chooses a fresh random nonce for every encryption;
 * callers never supply one. Ciphertexts carry their format version as their first byte (see docs/format.md).
 *
 * <p>Implementations are thread-safe, and refuse to work once their key is closed.
 */
public interface FieldCipher {

    /**
     * Encrypts {@code plaintext} (which may be empty).
     *
     * @throws IllegalArgumentException if {@code associatedData} was not made by {@link AssociatedData#forField}
     * @throws IllegalStateException if the key has been closed
     */
    byte[] encrypt(byte[] plaintext, AssociatedData associatedData);

    /**
     * Decrypts and authenticates {@code ciphertext}.
     *
     * @throws BadCiphertextException if the ciphertext was modified, truncated, has an unknown format version,
     *     belongs to other associated data, or was encrypted under another key
     * @throws IllegalArgumentException if {@code associatedData} was not made by {@link AssociatedData#forField}
     * @throws IllegalStateException if the key has been closed
     */
    byte[] decrypt(byte[] ciphertext, AssociatedData associatedData);
}
