package dev.spalce.decrypt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A workspace export's archive (docs/export.md), opened only once it has proved itself: {@code manifest.json}
 * verifies under the export signing key given by the customer (Ed25519), the archive holds exactly the entries the
 * manifest lists, and each has the listed size and SHA-256. Entries are read as streams, so an archive of any size
 * is checked in bounded memory.
 */
public final class ExportArchive implements AutoCloseable {

    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.sig";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ZipFile zip;
    private final JsonNode manifest;
    private final Map<String, ZipEntry> entries;

    private ExportArchive(ZipFile zip, JsonNode manifest, Map<String, ZipEntry> entries) {
        this.zip = zip;
        this.manifest = manifest;
        this.entries = entries;
    }

    /**
     * Opens and checks the archive.
     *
     * @param publicKey the export signing key: X.509 SubjectPublicKeyInfo DER of an Ed25519 key
     * @throws ArchiveRefusedException if the signature, the list of entries, a size or a SHA-256 does not match
     */
    public static ExportArchive openVerified(Path file, byte[] publicKey) throws IOException {
        ZipFile zip = new ZipFile(file.toFile(), StandardCharsets.UTF_8);
        try {
            byte[] manifestBytes = read(zip, MANIFEST);
            byte[] signature;
            try {
                signature =
                        Base64.getDecoder().decode(new String(read(zip, SIGNATURE), StandardCharsets.US_ASCII).strip());
            } catch (IllegalArgumentException e) {
                throw new ArchiveRefusedException("manifest.sig is not base64");
            }
            if (!verifies(publicKey, manifestBytes, signature)) {
                throw new ArchiveRefusedException(
                        "the manifest's signature does not verify under the given export signing key");
            }
            JsonNode manifest = JSON.readTree(manifestBytes);
            if (!"spalce-workspace-export".equals(manifest.path("format").asText())
                    || manifest.path("version").asInt() != 1) {
                throw new ArchiveRefusedException("not a Spalce workspace export of version 1");
            }
            Map<String, ZipEntry> listed = new LinkedHashMap<>();
            for (JsonNode listedEntry : manifest.path("entries")) {
                String name = listedEntry.path("name").asText();
                ZipEntry entry = zip.getEntry(name);
                if (entry == null || listed.containsKey(name)) {
                    throw new ArchiveRefusedException("entry " + name + " is listed in the manifest "
                            + (entry == null ? "but missing from the archive" : "twice"));
                }
                listed.put(name, entry);
                checkDigest(
                        zip,
                        entry,
                        listedEntry.path("bytes").asLong(-1),
                        listedEntry.path("sha256").asText());
            }
            Set<String> seen = new HashSet<>();
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (!seen.add(name)) {
                    throw new ArchiveRefusedException("entry " + name + " appears twice in the archive");
                }
                if (!listed.containsKey(name) && !name.equals(MANIFEST) && !name.equals(SIGNATURE)) {
                    throw new ArchiveRefusedException("entry " + name + " is not listed in the signed manifest");
                }
            }
            return new ExportArchive(zip, manifest, listed);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** The workspace the export is of. */
    public String workspaceId() {
        return manifest.path("workspaceId").asText();
    }

    public JsonNode manifest() {
        return manifest;
    }

    /** The names of the verified entries, in manifest order. */
    public Set<String> entryNames() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /**
     * A verified entry's content. An archive file changed after it was verified would fail the decryption's own
     * authentication; the digest was checked on the same file.
     */
    public InputStream open(String name) throws IOException {
        ZipEntry entry = entries.get(name);
        if (entry == null) {
            throw new ArchiveRefusedException("entry " + name + " is not in the signed manifest");
        }
        return zip.getInputStream(entry);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    private static byte[] read(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new ArchiveRefusedException("the archive has no " + name);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            // The manifest lists one line per entry: bounded by the archive's entry count, far below this.
            byte[] bytes = in.readNBytes(64 * 1024 * 1024);
            if (in.read() != -1) {
                throw new ArchiveRefusedException(name + " is larger than any manifest Spalce writes");
            }
            return bytes;
        }
    }

    private static boolean verifies(byte[] publicKey, byte[] message, byte[] signature) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(publicKey));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw new ArchiveRefusedException("the given public key is not an Ed25519 public key (X.509 DER, base64)");
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required of every JDK 15 or later", e);
        }
    }

    private static void checkDigest(ZipFile zip, ZipEntry entry, long bytes, String sha256) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        long count = 0;
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                count += n;
            }
        } catch (java.util.zip.ZipException e) {
            throw new ArchiveRefusedException("entry " + entry.getName() + " is corrupt in the archive", e);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (count != bytes
                || !MessageDigest.isEqual(
                        actual.getBytes(StandardCharsets.US_ASCII), sha256.getBytes(StandardCharsets.US_ASCII))) {
            throw new ArchiveRefusedException("entry " + entry.getName() + " does not match the signed manifest "
                    + "(expected " + bytes + " bytes with SHA-256 " + sha256 + ", found " + count + " bytes with "
                    + actual + ")");
        }
    }
}
