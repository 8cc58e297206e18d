package dev.spalce.decrypt;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.crypto.AssociatedData;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.FieldCiphers;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.crypto.StreamCiphers;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An export archive written as evidence-service writes one (docs/export.md): records encrypted under fresh DEKs
 * wrapped by a real key provider, an evidence object in the streaming format, the manifest and its Ed25519
 * signature. It remembers every plaintext, so that a test compares what the tool wrote with what was encrypted.
 */
final class ExportFixture {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String workspaceId = UUID.randomUUID().toString();
    final KeyPair signingKey;
    /** Entry name to content, in archive order, manifest and signature last. */
    final Map<String, byte[]> entries = new LinkedHashMap<>();
    /** Output path ({@code records/<type>/<id>/<field>} or {@code objects/<id>}) to the plaintext written. */
    final Map<String, byte[]> plaintexts = new LinkedHashMap<>();

    ExportFixture(KeyProvider provider, KmsKeyId key) throws IOException {
        try {
            signingKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        SecureRandom random = new SecureRandom();
        StringBuilder personnel = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            Map<String, byte[]> fields = new LinkedHashMap<>();
            fields.put("full_name", ("Ada Lovelace " + i).getBytes(StandardCharsets.UTF_8));
            fields.put("email", ("ada" + i + "@example.com").getBytes(StandardCharsets.UTF_8));
            fields.put("government_id", ("ÄÖ-" + i).getBytes(StandardCharsets.UTF_8));
            personnel.append(record(provider, key, "personnel", fields, null)).append('\n');
        }
        String details = record(
                provider,
                key,
                "check-result",
                Map.of("details", "{\"bucket\":\"open\"}".getBytes(StandardCharsets.UTF_8)),
                null);
        byte[] file = new byte[3 * 1024 * 1024 + 5];
        random.nextBytes(file);
        String evidence = record(provider, key, "evidence", Map.of(), file);
        entries.put("records/check-result.jsonl", (details + "\n").getBytes(StandardCharsets.UTF_8));
        entries.put("records/evidence.jsonl", (evidence + "\n").getBytes(StandardCharsets.UTF_8));
        entries.put("records/integration.jsonl", new byte[0]);
        entries.put("records/personnel.jsonl", personnel.toString().getBytes(StandardCharsets.UTF_8));
        entries.putAll(objects);
        entries.put("audit/audit-log.jsonl", "{\"type\":\"header\"}\n".getBytes(StandardCharsets.UTF_8));
        entries.put("format.md", "# Spalce payload encryption format\n".getBytes(StandardCharsets.UTF_8));
        sign();
    }

    private final Map<String, byte[]> objects = new LinkedHashMap<>();

    private String record(KeyProvider provider, KmsKeyId key, String type, Map<String, byte[]> fields, byte[] object)
            throws IOException {
        String id = UUID.randomUUID().toString();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", type);
        line.put("id", id);
        line.put("workspaceId", workspaceId);
        try (DataKey dek = DataKey.generate()) {
            WrappedKey wrapped = provider.wrap(key, dek, WrapContext.of(workspaceId, type, id));
            line.put("kmsKeyId", wrapped.kmsKeyId().toString());
            line.put("wrappedDek", Base64.getEncoder().encodeToString(wrapped.bytes()));
            line.put("formatVersion", object == null ? 1 : 2);
            Map<String, String> ciphertexts = new LinkedHashMap<>();
            for (var field : fields.entrySet()) {
                byte[] ciphertext = FieldCiphers.aesGcm(dek)
                        .encrypt(field.getValue(), AssociatedData.forField(workspaceId, type, id, field.getKey()));
                ciphertexts.put(field.getKey(), Base64.getEncoder().encodeToString(ciphertext));
                plaintexts.put("records/" + type + "/" + id + "/" + field.getKey(), field.getValue());
            }
            line.put("fields", ciphertexts);
            if (object != null) {
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                try (OutputStream encrypting =
                        StreamCiphers.aesGcmHkdf(dek).encryptingStream(sink, AssociatedData.forFile(workspaceId, id))) {
                    encrypting.write(object);
                }
                objects.put("objects/" + id, sink.toByteArray());
                plaintexts.put("objects/" + id, object);
                line.put("object", "objects/" + id);
            }
        }
        line.put("attributes", Map.of("department", "research"));
        return JSON.writeValueAsString(line);
    }

    /** (Re)writes manifest.json and manifest.sig over the current entries. */
    void sign() throws IOException {
        entries.remove(ExportArchive.MANIFEST);
        entries.remove(ExportArchive.SIGNATURE);
        List<Map<String, Object>> listed = new ArrayList<>();
        for (var entry : entries.entrySet()) {
            listed.add(Map.of(
                    "name", entry.getKey(), "bytes", entry.getValue().length, "sha256", sha256(entry.getValue())));
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", "spalce-workspace-export");
        manifest.put("version", 1);
        manifest.put("workspaceId", workspaceId);
        manifest.put("exportId", UUID.randomUUID().toString());
        manifest.put("entries", listed);
        byte[] manifestBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        entries.put(ExportArchive.MANIFEST, manifestBytes);
        entries.put(ExportArchive.SIGNATURE, Base64.getEncoder().encode(signature(manifestBytes)));
    }

    String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(signingKey.getPublic().getEncoded());
    }

    Path write(Path file) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private byte[] signature(byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(signingKey.getPrivate());
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
