package dev.spalce.contracts.audit;

import java.util.Objects;

/**
 * The {@code data} of an {@code audit.checkpoint} event on {@link dev.spalce.contracts.Topic#AUDIT_CHECKPOINTS}:
 * one signed checkpoint of a workspace's audit chain, member for member the checkpoint line of the export
 * format (docs/audit-log.md §3-4), so that a copy kept from the topic can be given to the offline verifier as an
 * anchor.
 *
 * @param type always {@code checkpoint}, as in the export
 * @param workspaceId the workspace whose chain it covers
 * @param seq the chain position it covers
 * @param entryHash the hash of the entry at {@code seq}, hex
 * @param signedAt when it was signed, {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ}
 * @param keyId the signing key's id
 * @param publicKey the Ed25519 public key, X.509 SubjectPublicKeyInfo DER, base64
 * @param signature Ed25519 over the signed message, base64
 */
public record AuditCheckpointPublished(
        String type,
        String workspaceId,
        long seq,
        String entryHash,
        String signedAt,
        String keyId,
        String publicKey,
        String signature) {

    public static final String TYPE = "audit.checkpoint";

    public AuditCheckpointPublished {
        if (!"checkpoint".equals(type)) {
            throw new IllegalArgumentException("type must be 'checkpoint'");
        }
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(entryHash, "entryHash");
        Objects.requireNonNull(signedAt, "signedAt");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(signature, "signature");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1");
        }
    }
}
