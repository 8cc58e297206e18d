package dev.spalce.contracts.audit;

import java.util.List;

/**
 * The keys audit checkpoints are signed with, as audit-log-service publishes them
 * ({@code GET /internal/v1/audit-signing-keys}) and the gateway serves them to anyone
 * ({@code /.well-known/spalce/audit-signing-keys}): pin them in the offline verifier ({@code --trusted-key}).
 *
 * @param keys the current key first, then earlier keys whose checkpoints still verify
 */
public record SigningKeysView(List<Key> keys) {

    /** The path of audit-log-service's internal API. */
    public static final String PATH = "/internal/v1/audit-signing-keys";

    /**
     * @param algorithm always Ed25519
     * @param keyId the first 16 hex digits of SHA-256 over the public key, as checkpoints name it
     * @param publicKey X.509 SubjectPublicKeyInfo DER, base64
     * @param current whether it signs new checkpoints
     */
    public record Key(String algorithm, String keyId, String publicKey, boolean current) {}
}
