package dev.spalce.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AesGcmFieldCipherTest {

    private static final AssociatedData AD = AssociatedData.forField("tenant-7f3c", "personnel", "rec-1", "email");
    private static final byte[] PLAINTEXT = "alice@example.com, +44 20 7946 0000".getBytes(StandardCharsets.UTF_8);
    private static final int HEADER_BYTES = 1 + 12;
    private static final int TAG_BYTES = 16;

    private final DataKey key = DataKey.generate();
    private final FieldCipher cipher = FieldCiphers.aesGcm(key);

    @AfterEach
    void closeKey() {
        key.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 1000, 65_536})
    void decrypt_ofEncrypt_returnsPlaintext(int length) {
        byte[] plaintext = new byte[length];
        Arrays.fill(plaintext, (byte) 0x5a);

        byte[] ciphertext = cipher.encrypt(plaintext, AD);

        assertThat(ciphertext).hasSize(HEADER_BYTES + length + TAG_BYTES);
        assertThat(cipher.decrypt(ciphertext, AD)).isEqualTo(plaintext);
    }

    @Test
    void encrypt_startsWithFormatVersionByte() {
        assertThat(cipher.encrypt(PLAINTEXT, AD)[0]).isEqualTo((byte) 0x01);
    }

    @Test
    void encrypt_samePlaintextTwice_givesDifferentNoncesAndCiphertexts() {
        byte[] first = cipher.encrypt(PLAINTEXT, AD);
        byte[] second = cipher.encrypt(PLAINTEXT, AD);

        assertThat(Arrays.copyOfRange(first, 1, HEADER_BYTES))
                .isNotEqualTo(Arrays.copyOfRange(second, 1, HEADER_BYTES));
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void decrypt_withTamperedByteAtEveryPosition_fails() {
        byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);
        int checked = 0;

        for (int position = 0; position < ciphertext.length; position++) {
            for (int mask : new int[] {0x01, 0x80, 0xff}) {
                byte[] tampered = ciphertext.clone();
                tampered[position] ^= (byte) mask;

                assertThatThrownBy(() -> cipher.decrypt(tampered, AD))
                        .as("byte %d xor 0x%02x", position, mask)
                        .isInstanceOf(BadCiphertextException.class);
                checked++;
            }
        }

        // version (1) + nonce (12) + ciphertext + tag (16), three masks each.
        assertThat(checked).isEqualTo(3 * (HEADER_BYTES + PLAINTEXT.length + TAG_BYTES));
    }

    static Stream<Arguments> otherPlaces() {
        return Stream.of(
                Arguments.of("other tenant", AssociatedData.forField("tenant-0000", "personnel", "rec-1", "email")),
                Arguments.of(
                        "other record type", AssociatedData.forField("tenant-7f3c", "integration", "rec-1", "email")),
                Arguments.of("other record id", AssociatedData.forField("tenant-7f3c", "personnel", "rec-2", "email")),
                Arguments.of("other field", AssociatedData.forField("tenant-7f3c", "personnel", "rec-1", "phone")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherPlaces")
    void decrypt_withMovedCiphertext_fails(String place, AssociatedData elsewhere) {
        byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);

        assertThatThrownBy(() -> cipher.decrypt(ciphertext, elsewhere)).isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void decrypt_withWrongKey_fails() {
        byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);

        try (DataKey otherKey = DataKey.generate()) {
            assertThatThrownBy(() -> FieldCiphers.aesGcm(otherKey).decrypt(ciphertext, AD))
                    .isInstanceOf(BadCiphertextException.class);
        }
    }

    @Test
    void decrypt_withEveryTruncation_failsCleanly() {
        byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);

        for (int length = 0; length < ciphertext.length; length++) {
            byte[] truncated = Arrays.copyOf(ciphertext, length);

            assertThatThrownBy(() -> cipher.decrypt(truncated, AD))
                    .as("first %d bytes", length)
                    .isExactlyInstanceOf(BadCiphertextException.class);
        }
    }

    @Test
    void decrypt_withAppendedByte_fails() {
        byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);

        assertThatThrownBy(() -> cipher.decrypt(Arrays.copyOf(ciphertext, ciphertext.length + 1), AD))
                .isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void decrypt_withUnknownFormatVersion_failsNamingTheReason() {
        byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);
        ciphertext[0] = 0x02;

        assertThatThrownBy(() -> cipher.decrypt(ciphertext, AD))
                .isInstanceOf(BadCiphertextException.class)
                .hasMessageContaining("format version");
    }

    @Test
    void encryptAndDecrypt_withFileAssociatedData_areRejected() {
        AssociatedData fileAd = AssociatedData.forFile("tenant-7f3c", "ev-1");
        byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);

        assertThatThrownBy(() -> cipher.encrypt(PLAINTEXT, fileAd)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.decrypt(ciphertext, fileAd)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encryptAndDecrypt_afterKeyClosed_failClearly() {
        byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);

        key.close();

        assertThatThrownBy(() -> cipher.encrypt(PLAINTEXT, AD))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DataKey has been closed");
        assertThatThrownBy(() -> cipher.decrypt(ciphertext, AD))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DataKey has been closed");
    }

    @Test
    void badCiphertextException_neverContainsPlaintextKeyOrCiphertext() {
        byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);
        byte[] tampered = ciphertext.clone();
        tampered[tampered.length - 1] ^= 0x01;
        byte[] keyBytes;
        try (SecretBytes plaintextKey = key.plaintext(InsecureKeyAccess.get())) {
            keyBytes = plaintextKey.toByteArray(InsecureKeyAccess.get());
        }

        Throwable thrown = catchThrowable(() -> cipher.decrypt(tampered, AD));

        assertThat(thrown).isInstanceOf(BadCiphertextException.class);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage()))
                    .doesNotContain(new String(PLAINTEXT, StandardCharsets.UTF_8).substring(0, 5))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(keyBytes, 0, 4))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(ciphertext, 1, 5));
        }
    }
}
