package dev.spalce.audit.api;

import dev.spalce.audit.signing.SigningKeys;
import java.util.Base64;
import java.util.List;

/**
 * The keys audit checkpoints are signed with, as published: pin them in the offline verifier
 * ({@code --trusted-key}).
 *
 * @param keys the current key first, then earlier keys whose checkpoints still verify
 */
public record SigningKeysView(List<Key> keys) {

    /**
     * @param algorithm always Ed25519
     * @param keyId the first 16 hex digits of SHA-256 over the public key, as checkpoints name it
     * @param publicKey X.509 SubjectPublicKeyInfo DER, base64
     * @param current whether it signs new checkpoints
     */
    public record Key(String algorithm, String keyId, String publicKey, boolean current) {}

    static SigningKeysView of(SigningKeys keys) {
        return new SigningKeysView(keys.published().stream()
                .map(key -> new Key(
                        "Ed25519", key.keyId(), Base64.getEncoder().encodeToString(key.publicKey()), key.current()))
                .toList());
    }
}
