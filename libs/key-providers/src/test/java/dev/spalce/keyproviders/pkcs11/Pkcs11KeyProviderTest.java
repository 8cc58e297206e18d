package dev.spalce.keyproviders.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.InsecureKeyAccess;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.crypto.SecretBytes;
import dev.spalce.keyproviders.AesGcmKeyWrap;
import dev.spalce.keyproviders.KeyDescription;
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.testing.KeyProviderContract;
import dev.spalce.keyproviders.testing.SoftHsmToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Key;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pkcs11 provider against a real SoftHSM2 token (see {@link SoftHsmToken}). */
class Pkcs11KeyProviderTest extends KeyProviderContract<Pkcs11KeyProvider> {

    private static final WrapContext CONTEXT = WrapContext.of("ws-1", "evidence", "ev-42");

    private SoftHsmToken token;
    private Pkcs11KeyProvider provider;

    @BeforeEach
    void open() {
        token = SoftHsmToken.get().orElse(null);
        assumeTrue(token != null, () -> "no SoftHSM2 token: " + SoftHsmToken.unavailableReason());
        provider = open(token);
    }

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    @Override
    protected Pkcs11KeyProvider provider() {
        return provider;
    }

    @Override
    protected KmsKeyId newKey() {
        return provider.createKey();
    }

    @Override
    protected KmsKeyId missingKey() {
        return KmsKeyId.of(Pkcs11KeyProvider.ID, "cmk-none", 1);
    }

    static Pkcs11KeyProvider open(SoftHsmToken token) {
        return Pkcs11KeyProvider.open(
                new Pkcs11KeyProvider.Token(token.library(), OptionalLong.of(token.slot()), OptionalInt.empty()),
                token.pin());
    }

    @Test
    void createKey_generatesAKeyWhoseMaterialCannotLeaveTheToken() throws Exception {
        KmsKeyId key = provider.createKey();

        Key handle = provider.keyHandle(key);

        assertThat(handle.getAlgorithm()).isEqualTo("AES");
        assertThat(handle.getEncoded()).isNull();
        assertThat(handle.getFormat()).isNull();
        // The token's own view of the object, through OpenSC rather than Java.
        String listing = token.pkcs11Tool("--list-objects", "--type", "secrkey", "--label", key.reference() + "#v1");
        assertThat(listing)
                .contains("AES length 32")
                .contains("sensitive")
                .contains("always sensitive")
                .contains("never extractable");
        assertThat(listing).doesNotContainPattern("Usage:.*\\bwrap\\b");
    }

    @Test
    void wrapThenUnwrap_insideTheToken_returnsTheSameDek() {
        KmsKeyId key = provider.createKey();
        try (DataKey dek = DataKey.generate()) {
            WrappedKey wrapped = provider.wrap(key, dek, CONTEXT);

            assertThat(wrapped.bytes()).hasSize(AesGcmKeyWrap.WRAPPED_BYTES);
            assertThat(wrapped.bytes()[0]).isEqualTo((byte) 0x01);
            try (DataKey unwrapped = provider.unwrap(key, wrapped.bytes(), CONTEXT)) {
                assertThat(raw(unwrapped)).isEqualTo(raw(dek));
            }
        }
    }

    @Test
    void unwrap_withAnyByteModified_failsAsBadCiphertext() {
        KmsKeyId key = provider.createKey();
        byte[] wrapped;
        try (DataKey dek = DataKey.generate()) {
            wrapped = provider.wrap(key, dek, CONTEXT).bytes();
        }
        for (int i = 0; i < wrapped.length; i++) {
            byte[] tampered = wrapped.clone();
            tampered[i] ^= (byte) (1 << (i % 8));
            int index = i;
            assertThatThrownBy(() -> provider.unwrap(key, tampered, CONTEXT))
                    .as("byte %d", index)
                    .isInstanceOf(BadCiphertextException.class);
        }
    }

    @Test
    void rotation_newVersionWraps_oldVersionStillUnwraps_andRewrapMovesIt() {
        KmsKeyId v1 = provider.createKey();
        byte[] underV1;
        byte[] plaintext;
        try (DataKey dek = DataKey.generate()) {
            underV1 = provider.wrap(v1, dek, CONTEXT).bytes();
            plaintext = raw(dek);
        }

        KmsKeyId v2 = provider.createVersion(v1.reference());
        WrappedKey moved = provider.rewrap(v1, v2, underV1, CONTEXT);

        assertThat(v2.version()).isEqualTo(2);
        KeyDescription description = provider.describe(v1.reference());
        assertThat(description.currentVersion()).isEqualTo(2);
        assertThat(description.versions())
                .extracting(KeyDescription.Version::version)
                .containsExactly(1, 2);
        try (DataKey fromV1 = provider.unwrap(v1, underV1, CONTEXT);
                DataKey fromV2 = provider.unwrap(v2, moved.bytes(), CONTEXT)) {
            assertThat(raw(fromV1)).isEqualTo(plaintext);
            assertThat(raw(fromV2)).isEqualTo(plaintext);
        }
        assertThatThrownBy(() -> provider.unwrap(v2, underV1, CONTEXT)).isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void unknownKey_isUnavailableAsUnknownKey() {
        try (DataKey dek = DataKey.generate()) {
            assertThatThrownBy(() -> provider.wrap(KmsKeyId.of("pkcs11", "cmk-none", 1), dek, CONTEXT))
                    .isInstanceOfSatisfying(
                            KeyUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(KeyUnavailableException.Reason.UNKNOWN_KEY));
        }
        assertThatThrownBy(() -> provider.describe("cmk-none")).isInstanceOf(KeyUnavailableException.class);
    }

    @Test
    void keys_persistAcrossProviderInstances() {
        KmsKeyId v1 = provider.createKey();
        byte[] wrapped;
        byte[] plaintext;
        try (DataKey dek = DataKey.generate()) {
            wrapped = provider.wrap(v1, dek, CONTEXT).bytes();
            plaintext = raw(dek);
        }

        try (Pkcs11KeyProvider second = open(token)) {
            try (DataKey unwrapped = second.unwrap(v1, wrapped, CONTEXT)) {
                assertThat(raw(unwrapped)).isEqualTo(plaintext);
            }
            KmsKeyId v2 = second.createVersion(v1.reference());
            // The first instance finds the version the second created.
            assertThat(provider.describe(v1.reference()).currentVersion()).isEqualTo(v2.version());
        }
    }

    @Test
    void keys_persistInTheTokenForAnotherProcess() throws Exception {
        KmsKeyId v1 = provider.createKey();
        byte[] wrapped;
        byte[] plaintext;
        try (DataKey dek = DataKey.generate()) {
            wrapped = provider.wrap(v1, dek, CONTEXT).bytes();
            plaintext = raw(dek);
        }

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Pkcs11UnwrapMain.class.getName(),
                token.library().toString(),
                Long.toString(token.slot()),
                v1.toString(),
                Base64.getEncoder().encodeToString(wrapped),
                "ws-1",
                "evidence",
                "ev-42"));
        Process child = new ProcessBuilder(command).redirectErrorStream(false).start();
        child.getOutputStream().write(SoftHsmToken.USER_PIN.getBytes(StandardCharsets.UTF_8));
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue())
                .as(new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        assertThat(Base64.getDecoder().decode(output)).isEqualTo(plaintext);
    }

    private static byte[] raw(DataKey key) {
        try (SecretBytes plaintext = key.plaintext(InsecureKeyAccess.get())) {
            return plaintext.toByteArray(InsecureKeyAccess.get());
        }
    }
}
