package dev.spalce.auditchain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A signed statement that a workspace's chain had, at {@code seq}, the head {@code entryHash} — like a
 * CloudTrail digest file. Whoever later removes or rewrites entries up to {@code seq} cannot produce a chain
 * that matches it without the signing key; removing entries after the last checkpoint is what the next
 * checkpoint catches.
 *
 * @param workspaceId the workspace
 * @param seq the chain position the checkpoint covers
 * @param entryHash the hash of the entry at {@code seq}
 * @param signedAt when it was signed
 * @param publicKey the Ed25519 public key (X.509 SubjectPublicKeyInfo encoding) that verifies the signature
 * @param signature Ed25519 over {@link #signedMessage()}
 */
public record Checkpoint(
        String workspaceId, long seq, ChainHash entryHash, Instant signedAt, byte[] publicKey, byte[] signature) {

    /** Domain separation: a checkpoint signature can never be mistaken for a signature over anything else. */
    static final String SIGNATURE_CONTEXT = "spalce-audit-checkpoint-v1\n";

    public Checkpoint {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(entryHash, "entryHash");
        signedAt = Objects.requireNonNull(signedAt, "signedAt").truncatedTo(ChronoUnit.MICROS);
        publicKey = Objects.requireNonNull(publicKey, "publicKey").clone();
        signature = Objects.requireNonNull(signature, "signature").clone();
    }

    /** The first 16 hex digits of SHA-256 over the public key: a short name for the key that signed. */
    public String keyId() {
        return keyId(publicKey);
    }

    static String keyId(byte[] encodedPublicKey) {
        return HexFormat.of().formatHex(HashChain.sha256().digest(encodedPublicKey), 0, 8);
    }

    /** The exact bytes that are signed: the context line, then the canonical JSON of the covered head. */
    public byte[] signedMessage() {
        return signedMessage(workspaceId, seq, entryHash, signedAt, keyId(publicKey));
    }

    static byte[] signedMessage(String workspaceId, long seq, ChainHash entryHash, Instant signedAt, String keyId) {
        Map<String, Object> members = new TreeMap<>();
        members.put("entryHash", entryHash.hex());
        members.put("keyId", keyId);
        members.put("seq", seq);
        members.put("signedAt", CanonicalJson.time(signedAt));
        members.put("workspaceId", workspaceId);
        byte[] context = SIGNATURE_CONTEXT.getBytes(StandardCharsets.US_ASCII);
        byte[] body = CanonicalJson.write(members);
        byte[] message = Arrays.copyOf(context, context.length + body.length);
        System.arraycopy(body, 0, message, context.length, body.length);
        return message;
    }

    /** Whether the signature verifies under the public key the checkpoint names. */
    public boolean signatureValid() {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(publicKey));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signedMessage());
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether it was signed by this exact key. */
    public boolean signedBy(byte[] encodedPublicKey) {
        return MessageDigest.isEqual(publicKey, encodedPublicKey);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint that
                && workspaceId.equals(that.workspaceId)
                && seq == that.seq
                && entryHash.equals(that.entryHash)
                && signedAt.equals(that.signedAt)
                && Arrays.equals(publicKey, that.publicKey)
                && Arrays.equals(signature, that.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(workspaceId, seq, entryHash, signedAt);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + workspaceId + " #" + seq + " " + entryHash + " key " + keyId() + "]";
    }
}
