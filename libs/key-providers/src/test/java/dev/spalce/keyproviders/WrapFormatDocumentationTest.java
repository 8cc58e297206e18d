package dev.spalce.keyproviders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.crypto.AssociatedData;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.FieldCiphers;
import dev.spalce.crypto.InsecureKeyAccess;
import dev.spalce.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/format.md section 9 honest: its worked example appears verbatim, unwraps with plain JCA from the
 * documented layout and with crypto-service's own code, and the DEK it yields decrypts the field example of
 * section 7: an export is decryptable from the document alone.
 */
class WrapFormatDocumentationTest {

    private static final Path FORMAT_DOC = Path.of(System.getProperty("basedir", "."), "..", "..", "docs", "format.md");
    private static final HexFormat HEX = HexFormat.of();

    // The worked example of docs/format.md section 9. A test key, never used anywhere else.
    private static final String CMK_HEX = "9d41b27c0e5f83a6d1c84f2e7b09a35c6e1d8f407a2b95c3e84d16f0b7c2a958";
    private static final String WRAPPED_HEX = "013c71a9e40b5d82f6c19e7a24004f43517af0b66808bc44d0dfc4a521154401f139"
            + "0c5df8fcc6fb08b84af981d9bf26811099368b172b1e8039845406";
    private static final String WRAPPED_BASE64 =
            "ATxxqeQLXYL2wZ56JABPQ1F68LZoCLxE0N/EpSEVRAHxOQxd+PzG+wi4SvmB2b8mgRCZNosXKx6AOYRUBg==";
    private static final String DEK_HEX = "5f2b8c3e9a71d4065be8f0c2a7394d1e86b05fc3e29a47d8b1c6053fa9e2d874";
    private static final WrapContext CONTEXT =
            WrapContext.of("tenant-7f3c", "personnel", "4b8e2c1a-93d5-4f0e-8a61-2f9c7d0b5e14");
    // The field example of section 7, encrypted under that DEK.
    private static final String FIELD_CIPHERTEXT_HEX =
            "018e41c2f07a3d95b6e10c4f27c0beabe0216da71f2b4aa23f23176e69" + "bfa48e9314e0db0b716e6406ec5d411490";

    @Test
    void formatDoc_containsTheWrapExampleVerbatim() throws Exception {
        String doc = Files.readString(FORMAT_DOC, StandardCharsets.UTF_8);

        assertThat(doc)
                .contains(
                        CMK_HEX,
                        WRAPPED_HEX,
                        WRAPPED_BASE64,
                        WrapContextTest.EXAMPLE_AAD_HEX,
                        DEK_HEX,
                        "3c71a9e40b5d82f6c19e7a24");
        assertThat(HEX.formatHex(Base64.getDecoder().decode(WRAPPED_BASE64))).isEqualTo(WRAPPED_HEX);
    }

    @Test
    void documentedWrappedDek_unwrapsWithPlainJcaFromTheDocumentedLayout() throws Exception {
        byte[] wrapped = HEX.parseHex(WRAPPED_HEX);
        assertThat(wrapped).hasSize(61);
        assertThat(wrapped[0]).isEqualTo((byte) 0x01);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
                Cipher.DECRYPT_MODE,
                new SecretKeySpec(HEX.parseHex(CMK_HEX), "AES"),
                new GCMParameterSpec(128, Arrays.copyOfRange(wrapped, 1, 13)));
        cipher.updateAAD(HEX.parseHex(WrapContextTest.EXAMPLE_AAD_HEX));

        byte[] dek = cipher.doFinal(wrapped, 13, 48);

        assertThat(HEX.formatHex(dek)).isEqualTo(DEK_HEX);
    }

    @Test
    void documentedWrappedDek_unwrapsWithCryptoServicesCode_andDecryptsTheFieldExample() throws Exception {
        try (DataKey dek = AesGcmKeyWrap.unwrap(
                        new SecretKeySpec(HEX.parseHex(CMK_HEX), "AES"), null, HEX.parseHex(WRAPPED_HEX), CONTEXT);
                SecretBytes raw = dek.plaintext(InsecureKeyAccess.get())) {
            assertThat(HEX.formatHex(raw.toByteArray(InsecureKeyAccess.get()))).isEqualTo(DEK_HEX);

            byte[] field = FieldCiphers.aesGcm(dek)
                    .decrypt(
                            HEX.parseHex(FIELD_CIPHERTEXT_HEX),
                            AssociatedData.forField(
                                    "tenant-7f3c", "personnel", "4b8e2c1a-93d5-4f0e-8a61-2f9c7d0b5e14", "email"));

            assertThat(new String(field, StandardCharsets.UTF_8)).isEqualTo("alice@example.com");
        }
    }

    @Test
    void freshWrap_unwrapsWithPlainJcaFromTheDocumentedLayout() throws Exception {
        SecretKeySpec cmk = new SecretKeySpec(HEX.parseHex(CMK_HEX), "AES");
        try (DataKey dek = DataKey.generate();
                SecretBytes raw = dek.plaintext(InsecureKeyAccess.get())) {
            byte[] wrapped = AesGcmKeyWrap.wrap(cmk, null, dek, CONTEXT);

            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, cmk, new GCMParameterSpec(128, Arrays.copyOfRange(wrapped, 1, 13)));
            cipher.updateAAD(HEX.parseHex(WrapContextTest.EXAMPLE_AAD_HEX));

            assertThat(cipher.doFinal(wrapped, 13, wrapped.length - 13))
                    .isEqualTo(raw.toByteArray(InsecureKeyAccess.get()));
        }
    }

    @Test
    void formatDoc_azureKvBinding_isSha256OfTheWrapContextWithFormatByte0x02() throws Exception {
        String doc = Files.readString(FORMAT_DOC, StandardCharsets.UTF_8);
        byte[] wc = CONTEXT.encode(dev.spalce.keyproviders.azure.AzureKeyVaultKeyProvider.FORMAT);
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(wc);

        assertThat(doc).contains(HEX.formatHex(wc), HEX.formatHex(digest), "DEK || SHA-256(WC)");
        assertThat(HEX.formatHex(wc))
                .isEqualTo("7370616c63652d64656b02" + WrapContextTest.EXAMPLE_AAD_HEX.substring(22));
    }

    @Test
    void formatDoc_gcpKmsAdditionalAuthenticatedData_isTheWrapContextWithFormatByte0x04AndTheVersion()
            throws Exception {
        String doc = Files.readString(FORMAT_DOC, StandardCharsets.UTF_8);
        byte[] aad = dev.spalce.keyproviders.gcp.GcpKmsKeyProvider.additionalData(CONTEXT, 1);

        assertThat(doc).contains(HEX.formatHex(aad), "format byte **0x04**");
        assertThat(HEX.formatHex(aad))
                .isEqualTo("7370616c63652d64656b04" + WrapContextTest.EXAMPLE_AAD_HEX.substring(22) + "00000001");
    }
}
