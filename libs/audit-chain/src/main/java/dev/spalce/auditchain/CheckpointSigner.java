package dev.spalce.auditchain;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/** Signs checkpoints with an Ed25519 key. Holds the private key; never prints it. */
public final class CheckpointSigner {

    private final PrivateKey privateKey;
    private final byte[] publicKey;

    private CheckpointSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey.getEncoded();
    }

    /**
     * From a key pair given as base64: the private key in PKCS#8, the public key in X.509 SubjectPublicKeyInfo
     * (what {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout} produce, in DER).
     */
    public static CheckpointSigner fromBase64(String pkcs8PrivateKey, String x509PublicKey) {
        Objects.requireNonNull(pkcs8PrivateKey, "pkcs8PrivateKey");
        Objects.requireNonNull(x509PublicKey, "x509PublicKey");
        try {
            KeyFactory ed25519 = KeyFactory.getInstance("Ed25519");
            PrivateKey privateKey = ed25519.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8PrivateKey.strip())));
            PublicKey publicKey = ed25519.generatePublic(new java.security.spec.X509EncodedKeySpec(
                    Base64.getDecoder().decode(x509PublicKey.strip())));
            CheckpointSigner signer = new CheckpointSigner(privateKey, publicKey);
            signer.requireMatchingPair();
            return signer;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // The message names the problem, never the key.
            throw new IllegalArgumentException("the checkpoint signing key pair is not a valid Ed25519 pair");
        }
    }

    /**
     * From a private key and its public key (X.509 SubjectPublicKeyInfo DER).
     *
     * @throws IllegalArgumentException if they are not a matching Ed25519 pair (the message never names the key)
     */
    public static CheckpointSigner of(PrivateKey privateKey, byte[] x509PublicKey) {
        try {
            PublicKey publicKey = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(x509PublicKey));
            CheckpointSigner signer = new CheckpointSigner(privateKey, publicKey);
            signer.requireMatchingPair();
            return signer;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the checkpoint signing key pair is not a valid Ed25519 pair");
        }
    }

    /** A fresh key pair, for tests, where no key is configured. */
    public static CheckpointSigner ephemeral() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new CheckpointSigner(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required of every JDK since 15", e);
        }
    }

    public Checkpoint sign(String workspaceId, long seq, ChainHash entryHash, Instant signedAt) {
        Checkpoint unsigned = new Checkpoint(workspaceId, seq, entryHash, signedAt, publicKey, new byte[0]);
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(unsigned.signedMessage());
            return new Checkpoint(workspaceId, seq, entryHash, unsigned.signedAt(), publicKey, signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** The public key (X.509 SubjectPublicKeyInfo, DER) that auditors use to verify checkpoints. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public String keyId() {
        return Checkpoint.keyId(publicKey);
    }

    /** The key id of a public key (X.509 DER), as checkpoints name it. */
    public static String keyIdOf(byte[] x509PublicKey) {
        return Checkpoint.keyId(x509PublicKey);
    }

    private void requireMatchingPair() throws GeneralSecurityException {
        Checkpoint probe = sign("key-pair-check", 1, ChainHash.GENESIS, Instant.EPOCH);
        if (!probe.signatureValid()) {
            throw new GeneralSecurityException("private and public key do not match");
        }
    }

    @Override
    public String toString() {
        return "CheckpointSigner[Ed25519, key " + keyId() + "]";
    }
}
