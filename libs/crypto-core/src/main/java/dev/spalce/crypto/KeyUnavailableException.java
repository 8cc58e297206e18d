package dev.spalce.crypto;

import java.util.Objects;

/**
 * A customer master key that cannot be used right now; thrown by KMS providers (crypto-service). The
 * {@link Reason} tells a caller whether waiting can help.
 */
public final class KeyUnavailableException extends CryptoException {

    /** Why the key cannot be used. */
    public enum Reason {
        /** The provider does not know the key or this version of it. */
        UNKNOWN_KEY(false),
        /** The key or version exists but is disabled, scheduled for deletion or destroyed. */
        KEY_DISABLED(false),
        /** The customer has revoked Spalce's permission to use the key. */
        ACCESS_DENIED(false),
        /** The provider did not answer, or answered with a server-side or throttling error. */
        PROVIDER_UNAVAILABLE(true);

        private final boolean transientFailure;

        Reason(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        /** Whether retrying later, without anyone changing the key's state, may succeed. */
        public boolean isTransient() {
            return transientFailure;
        }
    }

    private final KmsKeyId keyId;
    private final Reason reason;

    public KeyUnavailableException(KmsKeyId keyId, Reason reason) {
        this(keyId, reason, null);
    }

    public KeyUnavailableException(KmsKeyId keyId, Reason reason, Throwable cause) {
        super(
                "key " + Objects.requireNonNull(keyId, "keyId") + " is unavailable: "
                        + Objects.requireNonNull(reason, "reason"),
                cause);
        this.keyId = keyId;
        this.reason = reason;
    }

    public KmsKeyId keyId() {
        return keyId;
    }

    public Reason reason() {
        return reason;
    }
}
