package dev.spalce.keyproviders;

import dev.spalce.crypto.KmsKeyId;
import java.util.Arrays;
import java.util.Objects;

/**
 * A DEK wrapped under one CMK version: the {@code wrapped_dek} and {@code kms_key_id} a data owner stores next to
 * its ciphertext. Not secret (the DEK inside is encrypted), but opaque: the bytes are the provider's own format.
 */
public final class WrappedKey {

    private final KmsKeyId kmsKeyId;
    private final byte[] bytes;

    public WrappedKey(KmsKeyId kmsKeyId, byte[] bytes) {
        this.kmsKeyId = Objects.requireNonNull(kmsKeyId, "kmsKeyId");
        this.bytes = Objects.requireNonNull(bytes, "bytes").clone();
        if (this.bytes.length == 0) {
            throw new IllegalArgumentException("a wrapped key is never empty");
        }
    }

    /** The CMK version that wrapped it. */
    public KmsKeyId kmsKeyId() {
        return kmsKeyId;
    }

    /** A copy of the wrapped bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WrappedKey that && kmsKeyId.equals(that.kmsKeyId) && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * kmsKeyId.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "WrappedKey[" + kmsKeyId + ", " + bytes.length + " bytes]";
    }
}
