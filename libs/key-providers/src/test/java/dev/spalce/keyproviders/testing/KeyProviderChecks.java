package dev.spalce.keyproviders.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.InsecureKeyAccess;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.crypto.SecretBytes;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.WrapContext;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** What the remote key providers' tests share: wrapping fresh DEKs under {@link #CONTEXT}, and two checks. */
public final class KeyProviderChecks {

    /** The record the tests wrap for. */
    public static final WrapContext CONTEXT = WrapContext.of("ws-1", "evidence", "ev-42");

    private KeyProviderChecks() {}

    /** A DEK in plaintext, with its wrapped form. */
    public record Fresh(byte[] plaintext, byte[] wrapped) {}

    /** Wraps a new DEK for {@link #CONTEXT}; returns it with its wrapped form. */
    public static Fresh wrapFresh(KeyProvider provider, KmsKeyId key) {
        try (DataKey dek = DataKey.generate()) {
            return new Fresh(raw(dek), provider.wrap(key, dek, CONTEXT).bytes());
        }
    }

    /** Wraps a new DEK for {@link #CONTEXT}; returns the wrapped form. */
    public static byte[] wrap(KeyProvider provider, KmsKeyId key) {
        return wrapFresh(provider, key).wrapped();
    }

    public static byte[] raw(DataKey key) {
        try (SecretBytes plaintext = key.plaintext(InsecureKeyAccess.get())) {
            return plaintext.toByteArray(InsecureKeyAccess.get());
        }
    }

    /** A DEK wrapped for {@link #CONTEXT} fails as a bad ciphertext for another tenant, record type or record. */
    public static void assertBoundToItsRecord(KeyProvider provider, KmsKeyId key, byte[] wrapped) {
        for (WrapContext other : List.of(
                WrapContext.of("ws-2", "evidence", "ev-42"),
                WrapContext.of("ws-1", "personnel", "ev-42"),
                WrapContext.of("ws-1", "evidence", "ev-43"))) {
            assertThatThrownBy(() -> provider.unwrap(key, wrapped, other))
                    .as(other.toString())
                    .isInstanceOf(BadCiphertextException.class);
        }
    }

    /** Neither a failed unwrap nor the provider's {@code toString} shows the DEK, in hex or base64. */
    public static void assertFailuresShowNoKeyMaterial(KeyProvider provider, KmsKeyId key) {
        Fresh fresh = wrapFresh(provider, key);
        byte[] tampered = fresh.wrapped();
        tampered[tampered.length - 3] ^= 1;

        Throwable modified = catchThrowable(() -> provider.unwrap(key, tampered, CONTEXT));
        Throwable otherRecord =
                catchThrowable(() -> provider.unwrap(key, fresh.wrapped(), WrapContext.of("x", "y", "z")));

        for (String text : List.of(String.valueOf(modified), String.valueOf(otherRecord), provider.toString())) {
            assertThat(text)
                    .doesNotContain(HexFormat.of().formatHex(fresh.plaintext()))
                    .doesNotContain(Base64.getEncoder().encodeToString(fresh.plaintext()))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(fresh.plaintext()));
        }
    }
}
