package dev.spalce.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Secret bytes (a key, a passphrase) that can be erased.
 *
 * <p>The content is immutable until {@link #close()}, which overwrites it with zeros; any later use throws
 * {@link IllegalStateException}. The content never leaves through {@code toString}, {@code equals} or
 * {@code hashCode}: the first is a constant, the other two are identity-based (inherited from
 * {@link Object}), so a {@code SecretBytes} can sit in a map or a log line without leaking or becoming
 * guessable. Compare contents with {@link #equalsSecret}, which runs in constant time. Raw bytes are only
 * available as a copy, through {@link #toByteArray(InsecureKeyAccess)}.
 *
 * <p>Java cannot promise erasure: the JVM may have copied the array during garbage collection, and JCA
 * providers keep their own copies of keys. Closing still shortens the window in which a heap dump or a
 * memory disclosure reveals the secret, which is why every owner closes it as soon as it is done.
 *
 * <p>Thread-safe.
 */
public final class SecretBytes implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private boolean closed;

    private SecretBytes(byte[] ownedBytes) {
        if (ownedBytes.length == 0) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        this.bytes = ownedBytes;
    }

    /** Copies {@code source}; changing {@code source} afterwards does not change the secret. */
    public static SecretBytes copyOf(byte[] source) {
        Objects.requireNonNull(source, "source");
        return new SecretBytes(source.clone());
    }

    /** Returns {@code length} bytes from a {@link SecureRandom}. */
    public static SecretBytes random(int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("length must be positive, got " + length);
        }
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return new SecretBytes(bytes);
    }

    /** The number of secret bytes. */
    public synchronized int length() {
        requireOpen();
        return bytes.length;
    }

    /**
     * Returns a copy of the secret. The caller owns the copy and should overwrite it with zeros when done
     * ({@code Arrays.fill(copy, (byte) 0)}).
     */
    public byte[] toByteArray(InsecureKeyAccess access) {
        Objects.requireNonNull(access, "access");
        return copyOfBytes();
    }

    /**
     * Compares two secrets in time that does not depend on where they first differ (it does depend on their
     * lengths, which are not secret).
     */
    public boolean equalsSecret(SecretBytes other) {
        Objects.requireNonNull(other, "other");
        // Copy the other side first, under its own lock, so that two threads comparing a with b and b with a
        // never hold both locks at once.
        byte[] otherBytes = other.copyOfBytes();
        try {
            synchronized (this) {
                requireOpen();
                return MessageDigest.isEqual(bytes, otherBytes);
            }
        } finally {
            Arrays.fill(otherBytes, (byte) 0);
        }
    }

    /** Overwrites the secret with zeros. Idempotent. */
    @Override
    public synchronized void close() {
        Arrays.fill(bytes, (byte) 0);
        closed = true;
    }

    /** A constant: the content, and even the length, of a secret do not belong in logs. */
    @Override
    public String toString() {
        return "SecretBytes[redacted]";
    }

    /** A new {@code SecretBytes} with the same content, owned by the caller. */
    synchronized SecretBytes duplicate() {
        requireOpen();
        return new SecretBytes(bytes.clone());
    }

    /** A copy of the raw bytes for this library's ciphers, which zero it after use. */
    synchronized byte[] copyOfBytes() {
        requireOpen();
        return bytes.clone();
    }

    /** The backing array itself, so that tests in this package can prove that {@link #close()} erases it. */
    byte[] backingArrayForTesting() {
        return bytes;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this secret has been closed and its content erased");
        }
    }
}
