package dev.spalce.keyproviders.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalKeyProviderTest extends KeyProviderContract<LocalKeyProvider> {

    private static final char[] PASSPHRASE = "unit-test-passphrase-not-secret".toCharArray();
    private static final WrapContext CONTEXT = WrapContext.of("ws-1", "evidence", "ev-42");

    private Path file;
    private LocalKeyProvider provider;

    @BeforeEach
    void open() {
        file = Path.of("target", "unit-keystores", UUID.randomUUID() + ".p12");
        provider = LocalKeyProvider.open(file, PASSPHRASE);
    }

    @AfterEach
    void close() {
        provider.close();
    }

    @Override
    protected LocalKeyProvider provider() {
        return provider;
    }

    @Override
    protected KmsKeyId newKey() {
        return provider.createKey();
    }

    @Override
    protected KmsKeyId missingKey() {
        return KmsKeyId.of(LocalKeyProvider.ID, "no-such-key", 1);
    }

    @Test
    void destroyKey_removesEveryVersionFromTheFile_andNothingItWrappedUnwrapsAgain_evenInAnotherInstance() {
        KmsKeyId v1 = provider.createKey();
        KmsKeyId v2 = provider.createVersion(v1.reference());
        KmsKeyId other = provider.createKey();
        byte[] wrapped;
        try (DataKey dek = DataKey.generate()) {
            wrapped = provider.wrap(v2, dek, CONTEXT).bytes();
            provider.wrap(other, dek, CONTEXT);
        }

        assertThat(provider.destroyKey(v1.reference())).isEqualTo(2);

        assertThatThrownBy(() -> provider.unwrap(v2, wrapped, CONTEXT))
                .isInstanceOf(KeyUnavailableException.class)
                .extracting(e -> ((KeyUnavailableException) e).reason())
                .isEqualTo(KeyUnavailableException.Reason.UNKNOWN_KEY);
        try (LocalKeyProvider reopened = LocalKeyProvider.open(file, PASSPHRASE)) {
            assertThatThrownBy(() -> reopened.describe(v1.reference())).isInstanceOf(KeyUnavailableException.class);
            assertThat(reopened.describe(other.reference()).currentVersion()).isEqualTo(1);
        }
        assertThat(provider.destroyKey(v1.reference()))
                .as("a repeated destruction")
                .isZero();
    }

    @Test
    void open_ofAMissingFile_createsNothingUntilTheFirstKey() {
        assertThat(file).doesNotExist();

        provider.createKey();

        assertThat(file).exists();
    }

    @Test
    void wrap_producesTheDocumentedLayoutWithAFreshNonceEachTime() {
        KmsKeyId key = provider.createKey();
        try (DataKey dek = DataKey.generate()) {
            byte[] first = provider.wrap(key, dek, CONTEXT).bytes();
            byte[] second = provider.wrap(key, dek, CONTEXT).bytes();

            assertThat(first).hasSize(AesGcmKeyWrap.WRAPPED_BYTES).hasSize(61);
            assertThat(first[0]).isEqualTo((byte) 0x01);
            assertThat(java.util.Arrays.copyOfRange(first, 1, 13))
                    .isNotEqualTo(java.util.Arrays.copyOfRange(second, 1, 13));
            assertThat(first).isNotEqualTo(second);
        }
    }

    @Test
    void unwrap_withAnyBitOfAnyByteFlipped_failsAsBadCiphertext() {
        KmsKeyId key = provider.createKey();
        byte[] wrapped;
        try (DataKey dek = DataKey.generate()) {
            wrapped = provider.wrap(key, dek, CONTEXT).bytes();
        }
        for (int i = 0; i < wrapped.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = wrapped.clone();
                tampered[i] ^= (byte) (1 << bit);
                int index = i;
                assertThatThrownBy(() -> provider.unwrap(key, tampered, CONTEXT))
                        .as("byte %d bit %d", index, bit)
                        .isInstanceOf(BadCiphertextException.class);
            }
        }
    }

    @Test
    void unwrap_truncatedOrExtended_failsAsBadCiphertext() {
        KmsKeyId key = provider.createKey();
        byte[] wrapped;
        try (DataKey dek = DataKey.generate()) {
            wrapped = provider.wrap(key, dek, CONTEXT).bytes();
        }

        assertThatThrownBy(() -> provider.unwrap(key, java.util.Arrays.copyOf(wrapped, 60), CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
        assertThatThrownBy(() -> provider.unwrap(key, java.util.Arrays.copyOf(wrapped, 62), CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
        assertThatThrownBy(() -> provider.unwrap(key, new byte[0], CONTEXT)).isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void unwrap_underAnotherVersionOrKey_failsAsBadCiphertext() {
        KmsKeyId v1 = provider.createKey();
        KmsKeyId v2 = provider.createVersion(v1.reference());
        KmsKeyId otherKey = provider.createKey();
        byte[] wrapped;
        try (DataKey dek = DataKey.generate()) {
            wrapped = provider.wrap(v1, dek, CONTEXT).bytes();
        }

        assertThatThrownBy(() -> provider.unwrap(v2, wrapped, CONTEXT)).isInstanceOf(BadCiphertextException.class);
        assertThatThrownBy(() -> provider.unwrap(otherKey, wrapped, CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void unknownKeyOrVersion_isUnavailableAsUnknownKey() {
        KmsKeyId v1 = provider.createKey();
        try (DataKey dek = DataKey.generate()) {
            assertThatThrownBy(() -> provider.wrap(v1.withVersion(2), dek, CONTEXT))
                    .isInstanceOfSatisfying(
                            KeyUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(KeyUnavailableException.Reason.UNKNOWN_KEY));
            assertThatThrownBy(() -> provider.wrap(KmsKeyId.of("local", "no-such-key", 1), dek, CONTEXT))
                    .isInstanceOfSatisfying(
                            KeyUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(KeyUnavailableException.Reason.UNKNOWN_KEY));
        }
        assertThatThrownBy(() -> provider.describe("no-such-key"))
                .isInstanceOfSatisfying(
                        KeyUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyUnavailableException.Reason.UNKNOWN_KEY));
        assertThatThrownBy(() -> provider.createVersion("no-such-key")).isInstanceOf(KeyUnavailableException.class);
    }

    @Test
    void keyOfAnotherProvider_isRefused() {
        try (DataKey dek = DataKey.generate()) {
            assertThatThrownBy(() -> provider.wrap(KmsKeyId.of("pkcs11", "k", 1), dek, CONTEXT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pkcs11");
        }
    }

    @Test
    void referenceOutsideTheLocalRules_isRefused() {
        assertThatThrownBy(() -> provider.describe("Upper-Case")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.describe("with space")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrap_withAnotherSpellingOfACachedKeysReference_isUnknownKey() {
        KmsKeyId cmk = provider.createKey();
        try (DataKey dek = DataKey.generate()) {
            provider.wrap(cmk, dek, CONTEXT);
            KmsKeyId upperCase = KmsKeyId.of("local", cmk.reference().toUpperCase(java.util.Locale.ROOT), 1);

            assertThatThrownBy(() -> provider.wrap(upperCase, dek, CONTEXT))
                    .isInstanceOf(KeyUnavailableException.class);
        }
    }

    @Test
    void createVersion_addsTheNextVersion_andOldVersionsKeepUnwrapping() {
        KmsKeyId v1 = provider.createKey();
        byte[] wrappedUnderV1;
        byte[] plaintext;
        try (DataKey dek = DataKey.generate()) {
            wrappedUnderV1 = provider.wrap(v1, dek, CONTEXT).bytes();
            plaintext = raw(dek);
        }

        KmsKeyId v2 = provider.createVersion(v1.reference());
        KmsKeyId v3 = provider.createVersion(v1.reference());

        assertThat(v2).isEqualTo(v1.withVersion(2));
        assertThat(v3).isEqualTo(v1.withVersion(3));
        KeyDescription description = provider.describe(v1.reference());
        assertThat(description.currentVersion()).isEqualTo(3);
        assertThat(description.versions())
                .extracting(KeyDescription.Version::version)
                .containsExactly(1, 2, 3);
        try (DataKey unwrapped = provider.unwrap(v1, wrappedUnderV1, CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(plaintext);
        }
    }

    @Test
    void rewrap_movesTheDekToTheNewVersionUnchanged() {
        KmsKeyId v1 = provider.createKey();
        KmsKeyId v2 = provider.createVersion(v1.reference());
        byte[] wrappedUnderV1;
        byte[] plaintext;
        try (DataKey dek = DataKey.generate()) {
            wrappedUnderV1 = provider.wrap(v1, dek, CONTEXT).bytes();
            plaintext = raw(dek);
        }

        WrappedKey rewrapped = provider.rewrap(v1, v2, wrappedUnderV1, CONTEXT);

        assertThat(rewrapped.kmsKeyId()).isEqualTo(v2);
        try (DataKey unwrapped = provider.unwrap(v2, rewrapped.bytes(), CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(plaintext);
        }
        assertThatThrownBy(() -> provider.unwrap(v1, rewrapped.bytes(), CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void keys_persistAcrossInstances_andAnOpenInstanceSeesAnotherInstancesNewKeys() {
        KmsKeyId v1 = provider.createKey();
        byte[] wrapped;
        byte[] plaintext;
        try (DataKey dek = DataKey.generate()) {
            wrapped = provider.wrap(v1, dek, CONTEXT).bytes();
            plaintext = raw(dek);
        }

        try (LocalKeyProvider second = LocalKeyProvider.open(file, PASSPHRASE)) {
            try (DataKey unwrapped = second.unwrap(v1, wrapped, CONTEXT)) {
                assertThat(raw(unwrapped)).isEqualTo(plaintext);
            }
            KmsKeyId v2 = second.createVersion(v1.reference());
            KmsKeyId created = second.createKey();

            // The first instance, open all along, finds what the second added.
            assertThat(provider.describe(v1.reference()).currentVersion()).isEqualTo(v2.version());
            try (DataKey dek = DataKey.generate()) {
                assertThat(provider.wrap(created, dek, CONTEXT).kmsKeyId()).isEqualTo(created);
            }
        }
    }

    @Test
    void concurrentVersionCreation_fromTwoInstances_losesNoKeyAndRepeatsNoVersion() throws Exception {
        KmsKeyId v1 = provider.createKey();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<KmsKeyId>> created = new ArrayList<>();
        try (LocalKeyProvider second = LocalKeyProvider.open(file, PASSPHRASE)) {
            for (int i = 0; i < 12; i++) {
                LocalKeyProvider instance = i % 2 == 0 ? provider : second;
                created.add(threads.submit((Callable<KmsKeyId>) () -> instance.createVersion(v1.reference())));
            }
            List<Integer> versions = new ArrayList<>();
            for (Future<KmsKeyId> future : created) {
                versions.add(future.get().version());
            }

            assertThat(versions)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
        } finally {
            threads.shutdownNow();
        }
        try (LocalKeyProvider reopened = LocalKeyProvider.open(file, PASSPHRASE)) {
            assertThat(reopened.describe(v1.reference()).versions()).hasSize(13);
        }
    }

    @Test
    void keystoreFile_isAnOwnerOnlyPkcs12WithOneAes256KeyPerVersion() throws Exception {
        KmsKeyId v1 = provider.createKey();
        provider.createVersion(v1.reference());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSPHRASE);
        }
        assertThat(java.util.Collections.list(store.aliases()))
                .containsExactlyInAnyOrder(v1.reference() + "#v1", v1.reference() + "#v2");
        Key key = store.getKey(v1.reference() + "#v1", PASSPHRASE);
        assertThat(key.getAlgorithm()).isEqualTo("AES");
        assertThat(key.getEncoded()).hasSize(32);
    }

    @Test
    void open_withTheWrongPassphrase_failsWithoutEchoingEitherPassphrase() {
        provider.createKey();
        String wrong = "another-passphrase-of-length";

        assertThatThrownBy(() -> LocalKeyProvider.open(file, wrong.toCharArray()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("passphrase")
                .satisfies(
                        e -> assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain(new String(PASSPHRASE)));
    }

    @Test
    void open_withAShortPassphrase_isRefused() {
        assertThatThrownBy(() -> LocalKeyProvider.open(file, "short".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16");
    }

    @Test
    void failures_andToString_neverShowTheKeyOrThePassphrase() {
        KmsKeyId key = provider.createKey();
        try (DataKey dek = DataKey.generate()) {
            byte[] plaintext = raw(dek);
            byte[] wrapped = provider.wrap(key, dek, CONTEXT).bytes();
            wrapped[20] ^= 1;

            Throwable failure =
                    org.assertj.core.api.Assertions.catchThrowable(() -> provider.unwrap(key, wrapped, CONTEXT));

            for (String text : List.of(String.valueOf(failure), provider.toString(), dek.toString())) {
                assertThat(text)
                        .doesNotContain(HexFormat.of().formatHex(plaintext))
                        .doesNotContain(Base64.getEncoder().encodeToString(plaintext))
                        .doesNotContain(new String(PASSPHRASE));
            }
        }
    }

    @Test
    void closedProvider_refusesWork() {
        KmsKeyId key = provider.createKey();
        provider.close();

        try (DataKey dek = DataKey.generate()) {
            assertThatThrownBy(() -> provider.wrap(key.withVersion(2), dek, CONTEXT))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    private static byte[] raw(DataKey key) {
        try (SecretBytes plaintext = key.plaintext(InsecureKeyAccess.get())) {
            return plaintext.toByteArray(InsecureKeyAccess.get());
        }
    }
}
