package dev.spalce.crypto;

import java.util.Objects;

/**
 * A data encryption key (DEK): 256 bits, fresh for every record, used with {@link FieldCiphers} and
 * {@link StreamCiphers}.
 *
 * <p>Opaque: the key bytes never leave through {@code toString}, {@code equals} or {@code hashCode}
 * (identity-based). The owner {@linkplain #close() closes} it as soon as the record is encrypted or
 * decrypted, which erases the key; ciphers built on a closed key refuse to work.
 *
 * <p>Thread-safe.
 */
public final class DataKey implements AutoCloseable {

    /** AES-256. */
    public static final int LENGTH_BYTES = 32;

    private final SecretBytes secret;

    private DataKey(SecretBytes ownedSecret) {
        this.secret = ownedSecret;
    }

    /** A new random key. */
    public static DataKey generate() {
        return new DataKey(SecretBytes.random(LENGTH_BYTES));
    }

    /**
     * A key from its plaintext, typically just unwrapped by a KMS. The key keeps its own copy: the caller
     * still owns, and closes, {@code plaintext}.
     *
     * @throws IllegalArgumentException if {@code plaintext} is not exactly {@value #LENGTH_BYTES} bytes
     */
    public static DataKey fromPlaintext(SecretBytes plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        int length = plaintext.length();
        if (length != LENGTH_BYTES) {
            throw new IllegalArgumentException(
                    "a data key is exactly " + LENGTH_BYTES + " bytes (AES-256), got " + length);
        }
        return new DataKey(plaintext.duplicate());
    }

    /**
     * The key's plaintext, for the rare code that must hand it on: crypto-service returning a new DEK over its
     * internal API, or a KMS provider wrapping it. Returns a copy that the caller owns and must close.
     */
    public SecretBytes plaintext(InsecureKeyAccess access) {
        Objects.requireNonNull(access, "access");
        try {
            return secret.duplicate();
        } catch (IllegalStateException closed) {
            throw closedKey(closed);
        }
    }

    /** Erases the key. Idempotent. */
    @Override
    public void close() {
        secret.close();
    }

    /** A constant: nothing about a key belongs in logs. */
    @Override
    public String toString() {
        return "DataKey[redacted]";
    }

    /** A copy of the raw key for this library's ciphers, which zero it after use. */
    byte[] copyOfKeyBytes() {
        try {
            return secret.copyOfBytes();
        } catch (IllegalStateException closed) {
            throw closedKey(closed);
        }
    }

    /** The secret behind this key, so that tests in this package can prove that {@link #close()} erases it. */
    SecretBytes secretForTesting() {
        return secret;
    }

    private static IllegalStateException closedKey(IllegalStateException cause) {
        return new IllegalStateException("this DataKey has been closed and its key material erased", cause);
    }
}
