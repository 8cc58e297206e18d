package dev.spalce.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AesGcmHkdfStreamCipherTest {

    private static final int SEGMENT = 1 << 20;
    private static final int TAG = 16;
    private static final int TINK_HEADER = 40;
    /** Plaintext bytes in segment 0, which shares its 1 MiB with the Tink header. */
    private static final int FIRST_SEGMENT_PLAINTEXT = SEGMENT - TAG - TINK_HEADER;

    private static final int SEGMENT_PLAINTEXT = SEGMENT - TAG;

    private static final AssociatedData AD = AssociatedData.forFile("tenant-7f3c", "ev-1");

    /** Four segments: three full ones and a short last one, shared by the tampering tests. */
    private static final int FOUR_SEGMENT_PLAINTEXT = FIRST_SEGMENT_PLAINTEXT + 2 * SEGMENT_PLAINTEXT + 1000;

    private static DataKey key;
    private static StreamCipher cipher;
    private static byte[] fourSegmentPlaintext;
    private static byte[] fourSegmentCiphertext;

    @BeforeAll
    static void encryptFixture() throws IOException {
        key = DataKey.generate();
        cipher = StreamCiphers.aesGcmHkdf(key);
        fourSegmentPlaintext = pseudoRandom(FOUR_SEGMENT_PLAINTEXT, 1);
        fourSegmentCiphertext = encrypt(cipher, fourSegmentPlaintext, AD);
    }

    @AfterAll
    static void closeKey() {
        key.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, FIRST_SEGMENT_PLAINTEXT, FIRST_SEGMENT_PLAINTEXT + 1, 5 * SEGMENT})
    void decrypt_ofEncrypt_returnsPlaintext(int length) throws IOException {
        byte[] plaintext = pseudoRandom(length, length);

        byte[] ciphertext = encrypt(cipher, plaintext, AD);

        assertThat(ciphertext).hasSize(documentedCiphertextLength(length));
        assertThat(sha256(decrypt(cipher, ciphertext, AD))).isEqualTo(sha256(plaintext));
    }

    @Test
    void encrypt_exactlyOneSegmentOfPlaintext_fillsExactlyOneSegment() throws IOException {
        byte[] ciphertext = encrypt(cipher, new byte[FIRST_SEGMENT_PLAINTEXT], AD);

        assertThat(ciphertext).hasSize(1 + SEGMENT);
    }

    @Test
    void encrypt_startsWithVersionByteThenTinkHeader() {
        assertThat(fourSegmentCiphertext[0]).isEqualTo((byte) 0x02);
        assertThat(fourSegmentCiphertext[1]).as("Tink header length").isEqualTo((byte) TINK_HEADER);
        assertThat(fourSegmentCiphertext).hasSize(1 + TINK_HEADER + FOUR_SEGMENT_PLAINTEXT + 4 * TAG);
    }

    @Test
    void encrypt_samePlaintextTwice_differs() throws IOException {
        byte[] plaintext = pseudoRandom(100, 2);

        assertThat(encrypt(cipher, plaintext, AD)).isNotEqualTo(encrypt(cipher, plaintext, AD));
    }

    @Test
    void decrypt_fourSegmentFixture_returnsPlaintext() throws IOException {
        assertThat(decrypt(cipher, fourSegmentCiphertext, AD)).isEqualTo(fourSegmentPlaintext);
    }

    @Test
    void decrypt_withLastSegmentDropped_fails() {
        byte[] truncated = Arrays.copyOf(fourSegmentCiphertext, segmentStart(3));

        assertThatThrownBy(() -> decrypt(cipher, truncated, AD)).isInstanceOf(BadCiphertextException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, TAG, 1000 + TAG, 1000 + TAG + 1, SEGMENT + 1000 + TAG})
    void decrypt_withLastBytesDropped_fails(int dropped) {
        byte[] truncated = Arrays.copyOf(fourSegmentCiphertext, fourSegmentCiphertext.length - dropped);

        assertThatThrownBy(() -> decrypt(cipher, truncated, AD)).isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void decrypt_withReorderedSegments_fails() {
        byte[] reordered = fourSegmentCiphertext.clone();
        System.arraycopy(fourSegmentCiphertext, segmentStart(1), reordered, segmentStart(2), SEGMENT);
        System.arraycopy(fourSegmentCiphertext, segmentStart(2), reordered, segmentStart(1), SEGMENT);

        assertThatThrownBy(() -> decrypt(cipher, reordered, AD)).isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void decrypt_withAppendedBytes_fails() {
        byte[] extended = Arrays.copyOf(fourSegmentCiphertext, fourSegmentCiphertext.length + 1);

        assertThatThrownBy(() -> decrypt(cipher, extended, AD)).isInstanceOf(BadCiphertextException.class);
    }

    static Stream<Arguments> positionsToFlip() {
        return Stream.of(
                Arguments.of("format version", 0),
                Arguments.of("Tink header length", 1),
                Arguments.of("HKDF salt", 2),
                Arguments.of("nonce prefix", 1 + 33),
                Arguments.of("first segment, first byte", 1 + TINK_HEADER),
                Arguments.of("first segment tag", segmentStart(1) - 1),
                Arguments.of("middle segment", segmentStart(2) + 12345),
                Arguments.of("last segment, first byte", segmentStart(3)),
                Arguments.of("last byte of the last tag", 1 + TINK_HEADER + FOUR_SEGMENT_PLAINTEXT + 4 * TAG - 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positionsToFlip")
    void decrypt_withFlippedByte_fails(String where, int position) {
        byte[] tampered = fourSegmentCiphertext.clone();
        tampered[position] ^= 0x01;

        assertThatThrownBy(() -> decrypt(cipher, tampered, AD)).isInstanceOf(BadCiphertextException.class);
    }

    @ParameterizedTest
    @MethodSource("otherFiles")
    void decrypt_withOtherAssociatedData_fails(AssociatedData elsewhere) {
        assertThatThrownBy(() -> decrypt(cipher, fourSegmentCiphertext, elsewhere))
                .isInstanceOf(BadCiphertextException.class);
    }

    static Stream<AssociatedData> otherFiles() {
        return Stream.of(AssociatedData.forFile("tenant-0000", "ev-1"), AssociatedData.forFile("tenant-7f3c", "ev-2"));
    }

    @Test
    void decrypt_withWrongKey_fails() {
        try (DataKey otherKey = DataKey.generate()) {
            StreamCipher other = StreamCiphers.aesGcmHkdf(otherKey);

            assertThatThrownBy(() -> decrypt(other, fourSegmentCiphertext, AD))
                    .isInstanceOf(BadCiphertextException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 1 + TINK_HEADER, 1 + TINK_HEADER + TAG - 1})
    void decrypt_withTooShortCiphertext_failsCleanly(int length) throws IOException {
        byte[] empty = encrypt(cipher, new byte[0], AD);
        byte[] truncated = Arrays.copyOf(empty, length);

        assertThatThrownBy(() -> decrypt(cipher, truncated, AD)).isExactlyInstanceOf(BadCiphertextException.class);
    }

    @Test
    void decrypt_withFieldCiphertextFormatVersion_failsNamingTheReason() {
        byte[] tampered = fourSegmentCiphertext.clone();
        tampered[0] = 0x01;

        assertThatThrownBy(() -> decrypt(cipher, tampered, AD))
                .isInstanceOf(BadCiphertextException.class)
                .hasMessageContaining("format version");
    }

    @Test
    void read_whenSourceFails_propagatesTheSourceIOException() {
        IOException diskGone = new IOException("disk gone");
        InputStream failingSource = new InputStream() {
            private final InputStream ciphertext = new ByteArrayInputStream(fourSegmentCiphertext);
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ >= SEGMENT + 100) {
                    throw diskGone;
                }
                return ciphertext.read();
            }
        };

        assertThatThrownBy(() -> cipher.decryptingStream(failingSource, AD).readAllBytes())
                .isSameAs(diskGone);
    }

    @Test
    void streams_withFieldAssociatedData_areRejected() {
        AssociatedData fieldAd = AssociatedData.forField("tenant-7f3c", "personnel", "rec-1", "email");

        assertThatThrownBy(() -> cipher.encryptingStream(new ByteArrayOutputStream(), fieldAd))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.decryptingStream(new ByteArrayInputStream(fourSegmentCiphertext), fieldAd))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streams_afterKeyClosed_failClearly() {
        DataKey closedKey = DataKey.generate();
        StreamCipher closedCipher = StreamCiphers.aesGcmHkdf(closedKey);
        closedKey.close();

        assertThatThrownBy(() -> closedCipher.encryptingStream(new ByteArrayOutputStream(), AD))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DataKey has been closed");
        assertThatThrownBy(() -> closedCipher.decryptingStream(new ByteArrayInputStream(fourSegmentCiphertext), AD))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DataKey has been closed");
    }

    @Test
    void encryptingStream_writeAfterCloseFails_andSecondCloseIsHarmless() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream encrypting = cipher.encryptingStream(sink, AD);
        encrypting.write(42);
        encrypting.close();
        int length = sink.size();

        encrypting.close();

        assertThat(sink.size()).isEqualTo(length);
        assertThatThrownBy(() -> encrypting.write(1)).isInstanceOf(IOException.class);
        assertThat(decrypt(cipher, sink.toByteArray(), AD)).containsExactly(42);
    }

    /** Documented in docs/format.md: 1 + 40 + n + 16 per segment, segments = ceil((n + 40) / (1 MiB - 16)). */
    private static int documentedCiphertextLength(int plaintextLength) {
        int segments = (plaintextLength + TINK_HEADER + SEGMENT_PLAINTEXT - 1) / SEGMENT_PLAINTEXT;
        return 1 + TINK_HEADER + plaintextLength + TAG * segments;
    }

    /** Offset of segment i (i >= 1): the version byte shifts Tink's 1 MiB grid by one. */
    private static int segmentStart(int segment) {
        return 1 + segment * SEGMENT;
    }

    static byte[] encrypt(StreamCipher cipher, byte[] plaintext, AssociatedData ad) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream(plaintext.length + 1024);
        try (OutputStream encrypting = cipher.encryptingStream(sink, ad)) {
            encrypting.write(plaintext);
        }
        return sink.toByteArray();
    }

    static byte[] decrypt(StreamCipher cipher, byte[] ciphertext, AssociatedData ad) throws IOException {
        try (InputStream decrypting = cipher.decryptingStream(new ByteArrayInputStream(ciphertext), ad)) {
            return decrypting.readAllBytes();
        }
    }

    private static byte[] pseudoRandom(int length, long seed) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
