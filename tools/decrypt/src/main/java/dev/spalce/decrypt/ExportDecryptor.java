package dev.spalce.decrypt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.crypto.AssociatedData;
import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.CryptoException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.FieldCipher;
import dev.spalce.crypto.FieldCiphers;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.crypto.StreamCiphers;
import dev.spalce.keyproviders.WrapContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decrypts a verified export into a folder: for every record, each field's plaintext as
 * {@code records/<type>/<id>/<field>} (exactly the bytes that were written to Spalce) and its clear columns as
 * {@code records/<type>/<id>/attributes.json}; every evidence file's plaintext as {@code objects/<evidence id>};
 * the audit log and {@code format.md} as they are. Each DEK is unwrapped by the customer's KMS with the record's wrap
 * context, and each payload is authenticated against its workspace, record and field (docs/format.md), so a record
 * moved, swapped or altered inside the archive does not decrypt.
 */
public final class ExportDecryptor {

    /** What was decrypted. */
    public record Summary(long records, long fields, long objects) {}

    /** Record types and ids become folder names: only these spellings are accepted. */
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CustomerKeys keys;

    public ExportDecryptor(CustomerKeys keys) {
        this.keys = keys;
    }

    public Summary decrypt(ExportArchive archive, Path out) throws IOException {
        String workspaceId = archive.workspaceId();
        long records = 0;
        long fields = 0;
        long objects = 0;
        for (String name : archive.entryNames()) {
            if (name.startsWith("records/") && name.endsWith(".jsonl")) {
                String type = safe(name.substring("records/".length(), name.length() - ".jsonl".length()), name);
                try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(archive.open(name), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.isBlank()) {
                            continue;
                        }
                        JsonNode record = JSON.readTree(line);
                        fields += decryptRecord(archive, workspaceId, type, record, out);
                        records++;
                        if (record.hasNonNull("object")) {
                            objects++;
                        }
                    }
                }
            } else if (name.startsWith("audit/") || name.equals("format.md")) {
                Path target = out.resolve(name).normalize();
                if (!target.startsWith(out.normalize()) || target.equals(out.normalize())) {
                    throw new ArchiveRefusedException("entry " + name + " would be written outside the output folder");
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = archive.open(name)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return new Summary(records, fields, objects);
    }

    /** Decrypts one record's fields (and its object, for evidence); returns how many fields. */
    private int decryptRecord(ExportArchive archive, String workspaceId, String type, JsonNode record, Path out)
            throws IOException {
        String id = record.path("id").asText();
        if (!UUID_TEXT.matcher(id).matches()
                || !type.equals(record.path("type").asText())
                || !workspaceId.equals(record.path("workspaceId").asText())) {
            throw new ArchiveRefusedException("a record of " + type + " (" + id + ") names another type, workspace or "
                    + "an id that is not a UUID");
        }
        String what = type + " " + id;
        KmsKeyId keyId;
        byte[] wrappedDek;
        try {
            keyId = KmsKeyId.parse(record.path("kmsKeyId").asText());
            wrappedDek = Base64.getDecoder().decode(record.path("wrappedDek").asText());
        } catch (IllegalArgumentException e) {
            throw new ArchiveRefusedException(what + ": malformed kmsKeyId or wrappedDek", e);
        }
        Path folder = out.resolve("records").resolve(type).resolve(id);
        int count = 0;
        try (DataKey dek = unwrap(keyId, wrappedDek, WrapContext.of(workspaceId, type, id), what)) {
            Files.createDirectories(folder);
            FieldCipher cipher = FieldCiphers.aesGcm(dek);
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            record.path("fields").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String fieldName = safe(field.getKey(), what);
                byte[] plaintext;
                try {
                    plaintext = cipher.decrypt(
                            Base64.getDecoder().decode(field.getValue().asText()),
                            AssociatedData.forField(workspaceId, type, id, fieldName));
                } catch (BadCiphertextException | IllegalArgumentException e) {
                    throw new ArchiveRefusedException(what + ": field " + fieldName + " does not decrypt", e);
                }
                Files.write(folder.resolve(fieldName), plaintext);
                count++;
            }
            if (record.hasNonNull("object")) {
                decryptObject(archive, workspaceId, id, record.path("object").asText(), dek, out, what);
            }
        }
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(folder.resolve("attributes.json").toFile(), record.path("attributes"));
        return count;
    }

    /** Streams one evidence object through decryption into a temporary file, kept only if it authenticates to its end. */
    private static void decryptObject(
            ExportArchive archive, String workspaceId, String id, String entry, DataKey dek, Path out, String what)
            throws IOException {
        if (!entry.equals("objects/" + id)) {
            throw new ArchiveRefusedException(what + ": its object is not objects/" + id);
        }
        Path target = out.resolve("objects").resolve(id);
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(id + ".partial");
        try (InputStream ciphertext = archive.open(entry);
                InputStream plaintext = StreamCiphers.aesGcmHkdf(dek)
                        .decryptingStream(ciphertext, AssociatedData.forFile(workspaceId, id));
                OutputStream file = Files.newOutputStream(partial)) {
            plaintext.transferTo(file);
        } catch (IOException | CryptoException e) {
            Files.deleteIfExists(partial);
            throw new ArchiveRefusedException(what + ": its object does not decrypt (altered, truncated or moved)", e);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private DataKey unwrap(KmsKeyId keyId, byte[] wrappedDek, WrapContext context, String what) {
        try {
            return keys.providerOf(keyId).unwrap(keyId, wrappedDek, context);
        } catch (BadCiphertextException e) {
            throw new ArchiveRefusedException(
                    what + ": its wrapped data key does not unwrap under " + keyId
                            + " for this record (altered, or copied from another record)",
                    e);
        } catch (dev.spalce.crypto.KeyUnavailableException e) {
            throw new ArchiveRefusedException(what + ": key " + keyId + " is not available: " + e.getMessage(), e);
        }
    }

    private static String safe(String name, String where) {
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new ArchiveRefusedException(
                    where + ": '" + name + "' is not a record type or field name Spalce writes");
        }
        return name;
    }
}
