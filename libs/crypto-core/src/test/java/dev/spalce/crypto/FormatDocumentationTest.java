package dev.spalce.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/format.md honest: its worked example must appear in the document verbatim, decrypt with plain JCA
 * using nothing but the documented layout, and match what this library produces.
 */
class FormatDocumentationTest {

    private static final Path FORMAT_DOC = Path.of(System.getProperty("basedir", "."), "..", "..", "docs", "format.md");
    private static final HexFormat HEX = HexFormat.of();

    // The worked example of docs/format.md. A test key, never used anywhere else.
    private static final String KEY_HEX = "5f2b8c3e9a71d4065be8f0c2a7394d1e86b05fc3e29a47d8b1c6053fa9e2d874";
    private static final String TENANT = "tenant-7f3c";
    private static final String RECORD_TYPE = "personnel";
    private static final String RECORD_ID = "4b8e2c1a-93d5-4f0e-8a61-2f9c7d0b5e14";
    private static final String FIELD = "email";
    private static final String ASSOCIATED_DATA_HEX = "7370616c63652d61640100056669656c64000b74656e616e742d376633"
            + "630009706572736f6e6e656c002434623865326331612d393364352d346630652d386136312d3266396337643062356531"
            + "340005656d61696c";
    private static final String CIPHERTEXT_HEX =
            "018e41c2f07a3d95b6e10c4f27c0beabe0216da71f2b4aa23f23176e69bfa48e9" + "314e0db0b716e6406ec5d411490";
    private static final String PLAINTEXT = "alice@example.com";

    private static final AssociatedData EXAMPLE_AD = AssociatedData.forField(TENANT, RECORD_TYPE, RECORD_ID, FIELD);

    @Test
    void formatDoc_containsTheWorkedExampleVerbatim() throws IOException {
        String doc = Files.readString(FORMAT_DOC, StandardCharsets.UTF_8);

        assertThat(doc)
                .contains(KEY_HEX, ASSOCIATED_DATA_HEX, CIPHERTEXT_HEX, PLAINTEXT, TENANT, RECORD_TYPE, RECORD_ID);
    }

    @Test
    void documentedAssociatedData_isWhatTheLibraryEncodes() {
        assertThat(HEX.formatHex(EXAMPLE_AD.encode(PayloadFormat.FIELD_AES_GCM)))
                .isEqualTo(ASSOCIATED_DATA_HEX);
    }

    @Test
    void documentedCiphertext_decryptsWithPlainJcaFromTheDocumentedLayout() throws Exception {
        byte[] plaintext = decryptWithDocumentedLayout(
                HEX.parseHex(KEY_HEX), HEX.parseHex(CIPHERTEXT_HEX), HEX.parseHex(ASSOCIATED_DATA_HEX));

        assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
    }

    @Test
    void documentedCiphertext_decryptsWithFieldCipher() {
        try (SecretBytes raw = SecretBytes.copyOf(HEX.parseHex(KEY_HEX));
                DataKey key = DataKey.fromPlaintext(raw)) {
            byte[] plaintext = FieldCiphers.aesGcm(key).decrypt(HEX.parseHex(CIPHERTEXT_HEX), EXAMPLE_AD);

            assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
        }
    }

    @Test
    void freshFieldCiphertext_decryptsWithPlainJcaFromTheDocumentedLayout() throws Exception {
        try (DataKey key = DataKey.generate();
                SecretBytes raw = key.plaintext(InsecureKeyAccess.get())) {
            byte[] ciphertext =
                    FieldCiphers.aesGcm(key).encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), EXAMPLE_AD);

            byte[] plaintext = decryptWithDocumentedLayout(
                    raw.toByteArray(InsecureKeyAccess.get()), ciphertext, HEX.parseHex(ASSOCIATED_DATA_HEX));

            assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
        }
    }

    /** Exactly the steps of docs/format.md: version byte 0x01, 12-byte nonce, then ciphertext with 16-byte tag. */
    private static byte[] decryptWithDocumentedLayout(byte[] key, byte[] ciphertext, byte[] associatedData)
            throws Exception {
        assertThat(ciphertext[0]).isEqualTo((byte) 0x01);
        byte[] nonce = Arrays.copyOfRange(ciphertext, 1, 13);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(ciphertext, 13, ciphertext.length - 13);
    }
}
