package dev.spalce.keyproviders.testing;

import static dev.spalce.keyproviders.testing.KeyProviderChecks.CONTEXT;
import static dev.spalce.keyproviders.testing.KeyProviderChecks.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KeyUnavailableException.Reason;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.testing.KeyProviderChecks.Fresh;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every key provider must do, whatever holds its master key: a DEK unwraps to itself under the key version
 * it was wrapped by, and under nothing else; it is bound to its tenant, record type and record; a modified
 * wrapped key is a bad ciphertext, never a wrong key; a new version wraps while the old one still unwraps, and a
 * rewrap moves a DEK to the new version unchanged; an unknown key is named as unknown; and no failure or
 * {@code toString} shows key material.
 *
 * <p>A provider's test class extends this (or {@link RemoteKeyProviderContract} for a provider that calls a
 * remote KMS) and adds only what is its own: its format, its key references, how its KMS rotates and signs in.
 *
 * @param <P> the provider
 */
public abstract class KeyProviderContract<P extends KeyProvider> {

    /** The provider under test, ready to use. */
    protected abstract P provider();

    /** A new key, at its first version. */
    protected abstract KmsKeyId newKey();

    /** A well-formed reference to a key the provider's key store does not have. */
    protected abstract KmsKeyId missingKey();

    /** A wrapped key with one byte changed so that it no longer authenticates (formats differ: binary or text). */
    protected byte[] tampered(byte[] wrapped) {
        byte[] tampered = wrapped.clone();
        tampered[tampered.length - 1] ^= 1;
        return tampered;
    }

    protected final byte[] wrap(KmsKeyId key) {
        return KeyProviderChecks.wrap(provider(), key);
    }

    @Test
    void wrapThenUnwrap_returnsTheSameDek_underTheKeyVersionItNames() {
        KmsKeyId key = newKey();
        try (DataKey dek = DataKey.generate()) {
            WrappedKey wrapped = provider().wrap(key, dek, CONTEXT);

            assertThat(wrapped.kmsKeyId()).isEqualTo(key);
            try (DataKey unwrapped = provider().unwrap(key, wrapped.bytes(), CONTEXT)) {
                assertThat(raw(unwrapped)).isEqualTo(raw(dek));
            }
        }
    }

    @Test
    void unwrap_withAnotherTenantRecordTypeOrRecord_failsAsBadCiphertext() {
        KmsKeyId key = newKey();

        KeyProviderChecks.assertBoundToItsRecord(provider(), key, wrap(key));
    }

    @Test
    void unwrap_modifiedOrUnderAnotherKey_failsAsBadCiphertext() {
        KmsKeyId key = newKey();
        byte[] wrapped = wrap(key);

        assertThatThrownBy(() -> provider().unwrap(key, tampered(wrapped), CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
        assertThatThrownBy(() -> provider().unwrap(newKey(), wrapped, CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
        assertThatThrownBy(() -> provider().unwrap(key, new byte[] {1, 2, 3}, CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
    }

    /**
     * Wrapped keys changed at random (seeded, so a failure can be replayed): one bit flipped, cut short, extended,
     * or replaced by random bytes of the same length. Each one either fails as a bad ciphertext or, for a text
     * format with an equivalent spelling, unwraps to the very same DEK: never another exception, never another key.
     */
    @Test
    void unwrap_ofRandomChangesToTheWrappedKey_failsAsBadCiphertext_neverAsAnotherKey() {
        KmsKeyId key = newKey();
        Fresh original = KeyProviderChecks.wrapFresh(provider(), key);
        long seed = 0x5a1ce_2026L;
        Random random = new Random(seed);
        for (int i = 0; i < 48; i++) {
            byte[] changed = randomChange(original.wrapped(), random);
            if (Arrays.equals(changed, original.wrapped())) {
                continue;
            }
            String which = "change " + i + " of seed " + seed;
            Throwable failure = catchThrowable(() -> {
                try (DataKey unwrapped = provider().unwrap(key, changed, CONTEXT)) {
                    assertThat(raw(unwrapped))
                            .as(which + ": an equivalent spelling")
                            .isEqualTo(original.plaintext());
                }
            });
            if (failure != null) {
                assertThat(failure).as(which).isInstanceOf(BadCiphertextException.class);
            }
        }
    }

    private static byte[] randomChange(byte[] wrapped, Random random) {
        byte[] changed;
        switch (random.nextInt(4)) {
            case 0 -> {
                changed = wrapped.clone();
                int bit = random.nextInt(changed.length * 8);
                changed[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            case 1 -> changed = Arrays.copyOf(wrapped, random.nextInt(wrapped.length));
            case 2 -> {
                changed = Arrays.copyOf(wrapped, wrapped.length + 1 + random.nextInt(16));
                for (int i = wrapped.length; i < changed.length; i++) {
                    changed[i] = (byte) random.nextInt(256);
                }
            }
            default -> {
                changed = new byte[wrapped.length];
                random.nextBytes(changed);
            }
        }
        return changed;
    }

    @Test
    void createVersionThenRewrap_movesTheDekUnchanged_andTheOldVersionStillUnwraps() {
        KmsKeyId v1 = newKey();
        Fresh old = KeyProviderChecks.wrapFresh(provider(), v1);

        KmsKeyId v2 = provider().createVersion(v1.reference());
        WrappedKey moved = provider().rewrap(v1, v2, old.wrapped(), CONTEXT);

        assertThat(v2).isEqualTo(v1.withVersion(2));
        assertThat(moved.kmsKeyId()).isEqualTo(v2);
        try (DataKey underV2 = provider().unwrap(v2, moved.bytes(), CONTEXT);
                DataKey underV1 = provider().unwrap(v1, old.wrapped(), CONTEXT)) {
            assertThat(raw(underV2)).isEqualTo(old.plaintext());
            assertThat(raw(underV1)).isEqualTo(old.plaintext());
        }
        assertThat(provider().describe(v1.reference()).currentVersion()).isEqualTo(2);
    }

    @Test
    void wrap_underAnUnknownKey_failsAsUnknownKey() {
        assertThatThrownBy(() -> wrap(missingKey()))
                .isInstanceOfSatisfying(
                        KeyUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
    }

    @Test
    void failures_andToString_neverShowKeyMaterial() {
        KeyProviderChecks.assertFailuresShowNoKeyMaterial(provider(), newKey());
    }
}
