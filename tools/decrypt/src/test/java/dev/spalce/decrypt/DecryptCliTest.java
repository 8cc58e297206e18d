package dev.spalce.decrypt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.local.LocalKeyProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decrypt tool against archives of a local keystore: decrypts what is intact, refuses anything altered. */
class DecryptCliTest {

    private static final String PASSPHRASE = "a-test-passphrase-that-protects-nothing";

    @TempDir
    Path dir;

    private Path keystore;
    private ExportFixture fixture;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void export() throws IOException {
        keystore = dir.resolve("keystore.p12");
        try (LocalKeyProvider provider = LocalKeyProvider.open(keystore, PASSPHRASE.toCharArray())) {
            KmsKeyId key = provider.createKey();
            fixture = new ExportFixture(provider, key);
        }
    }

    @Test
    void decrypt_withTheLocalKeystore_writesEveryPlaintextByteForByte() throws IOException {
        Path output = dir.resolve("out");

        int status = run(fixture.write(dir.resolve("export.zip")), fixture.publicKeyBase64(), output);

        assertThat(status).as(err.toString()).isEqualTo(DecryptCli.OK);
        assertThat(fixture.plaintexts).hasSize(3 * 3 + 1 + 1);
        for (var written : fixture.plaintexts.entrySet()) {
            assertThat(output.resolve(written.getKey())).as(written.getKey()).hasBinaryContent(written.getValue());
        }
        assertThat(output.resolve("audit/audit-log.jsonl")).exists();
        assertThat(out.toString()).contains("DECRYPTED 5 records (10 fields) and 1 evidence files");
    }

    @Test
    void decrypt_withOneByteOfAnObjectChanged_isRefusedNamingTheEntry() throws IOException {
        String object = fixture.entries.keySet().stream()
                .filter(name -> name.startsWith("objects/"))
                .findFirst()
                .orElseThrow();
        fixture.entries.get(object)[100_000] ^= 1;

        int status = run(fixture.write(dir.resolve("export.zip")), fixture.publicKeyBase64(), dir.resolve("out"));

        assertThat(status).isEqualTo(DecryptCli.REFUSED);
        assertThat(err.toString()).contains("entry " + object + " does not match the signed manifest");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void decrypt_withAChangedManifest_isRefusedForItsSignature() throws IOException {
        byte[] manifest = fixture.entries.get(ExportArchive.MANIFEST);
        fixture.entries.put(
                ExportArchive.MANIFEST,
                new String(manifest, StandardCharsets.UTF_8)
                        .replace("\"version\" : 1", "\"version\" : 1 ")
                        .getBytes(StandardCharsets.UTF_8));

        int status = run(fixture.write(dir.resolve("export.zip")), fixture.publicKeyBase64(), dir.resolve("out"));

        assertThat(status).isEqualTo(DecryptCli.REFUSED);
        assertThat(err.toString()).contains("signature does not verify");
    }

    @Test
    void decrypt_underAnotherSigningKey_isRefused() throws Exception {
        String stranger = Base64.getEncoder()
                .encodeToString(KeyPairGenerator.getInstance("Ed25519")
                        .generateKeyPair()
                        .getPublic()
                        .getEncoded());

        int status = run(fixture.write(dir.resolve("export.zip")), stranger, dir.resolve("out"));

        assertThat(status).isEqualTo(DecryptCli.REFUSED);
        assertThat(err.toString()).contains("signature does not verify");
    }

    @Test
    void decrypt_withAnEntryTheManifestDoesNotList_isRefused() throws IOException {
        fixture.entries.put("records/extra.jsonl", "{}\n".getBytes(StandardCharsets.UTF_8));

        int status = run(fixture.write(dir.resolve("export.zip")), fixture.publicKeyBase64(), dir.resolve("out"));

        assertThat(status).isEqualTo(DecryptCli.REFUSED);
        assertThat(err.toString()).contains("entry records/extra.jsonl is not listed in the signed manifest");
    }

    @Test
    void decrypt_withAListedEntryRemoved_isRefused() throws IOException {
        fixture.entries.remove("records/personnel.jsonl");

        int status = run(fixture.write(dir.resolve("export.zip")), fixture.publicKeyBase64(), dir.resolve("out"));

        assertThat(status).isEqualTo(DecryptCli.REFUSED);
        assertThat(err.toString()).contains("entry records/personnel.jsonl is listed in the manifest but missing");
    }

    /** Even a manifest signed over the change (the signing key stolen) does not make a moved ciphertext decrypt. */
    @Test
    void decrypt_withFieldCiphertextsSwappedAndResigned_isRefusedByTheAssociatedData() throws IOException {
        String personnel = new String(fixture.entries.get("records/personnel.jsonl"), StandardCharsets.UTF_8);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var first = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(personnel.lines().findFirst().orElseThrow());
        var fields = (com.fasterxml.jackson.databind.node.ObjectNode) first.get("fields");
        var email = fields.get("email");
        fields.set("email", fields.get("full_name"));
        fields.set("full_name", email);
        String changed = json.writeValueAsString(first) + "\n"
                + personnel.lines().skip(1).map(line -> line + "\n").reduce("", String::concat);
        fixture.entries.put("records/personnel.jsonl", changed.getBytes(StandardCharsets.UTF_8));
        fixture.sign();

        int status = run(fixture.write(dir.resolve("export.zip")), fixture.publicKeyBase64(), dir.resolve("out"));

        assertThat(status).isEqualTo(DecryptCli.REFUSED);
        assertThat(err.toString()).contains("does not decrypt");
    }

    /** Even under a valid signature (the signing key stolen), an entry name never reaches outside the output. */
    @Test
    void decrypt_withAnEntryNamedOutsideTheOutput_isRefused() throws IOException {
        fixture.entries.put("audit/../../escaped.txt", "x".getBytes(StandardCharsets.UTF_8));
        fixture.sign();

        int status = run(fixture.write(dir.resolve("export.zip")), fixture.publicKeyBase64(), dir.resolve("out"));

        assertThat(status).isEqualTo(DecryptCli.REFUSED);
        assertThat(err.toString()).contains("outside the output folder");
        assertThat(dir.resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void decrypt_withTheWrongKeystorePassphrase_failsWithoutWritingPlaintext() throws IOException {
        Path archive = fixture.write(dir.resolve("export.zip"));

        int status = DecryptCli.run(
                new String[] {
                    "--archive", archive.toString(),
                    "--public-key", fixture.publicKeyBase64(),
                    "--out", dir.resolve("out").toString(),
                    "--keystore", keystore.toString()
                },
                Map.of("SPALCE_DECRYPT_KEYSTORE_PASSPHRASE", "another-passphrase-of-some-length"),
                new PrintStream(out),
                new PrintStream(err));

        assertThat(status).isNotEqualTo(DecryptCli.OK);
        assertThat(Files.exists(dir.resolve("out/records/personnel"))).isFalse();
    }

    private int run(Path archive, String publicKey, Path output) {
        return DecryptCli.run(
                new String[] {
                    "--archive", archive.toString(),
                    "--public-key", publicKey,
                    "--out", output.toString(),
                    "--keystore", keystore.toString()
                },
                Map.of("SPALCE_DECRYPT_KEYSTORE_PASSPHRASE", PASSPHRASE),
                new PrintStream(out),
                new PrintStream(err));
    }
}
