package dev.spalce.audit.signing;

import com.google.crypto.tink.subtle.Ed25519Sign;
import dev.spalce.audit.config.AuditConfig;
import dev.spalce.auditchain.CheckpointSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The checkpoint signing key and the public keys verification pins. The private key comes from the platform's
 * secret store — a PEM file it mounts ({@code SPALCE_AUDIT_SIGNING_KEY_FILE}) or an environment variable it fills
 * ({@code SPALCE_AUDIT_SIGNING_KEY}) — never from the database, whose credentials therefore cannot forge a
 * checkpoint. The pinned keys are this key's public key and the public keys of earlier keys, so that a rotation
 * leaves every older checkpoint verifiable; a key found in the checkpoint table is never trusted for that.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    /** X.509 SubjectPublicKeyInfo DER of an Ed25519 key, before its 32 raw bytes (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN (PRIVATE KEY|PUBLIC KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    /** A published key: its id, the X.509 DER, and whether it signs new checkpoints. */
    public record PublishedKey(String keyId, byte[] publicKey, boolean current) {}

    private final CheckpointSigner signer;
    private final List<PublishedKey> published;

    public SigningKeys(AuditConfig config) {
        this.signer = signer(config);
        List<PublishedKey> keys = new ArrayList<>();
        keys.add(new PublishedKey(signer.keyId(), signer.publicKey(), true));
        for (String previous : config.signing().previousPublicKeys().orElse(List.of())) {
            byte[] der = publicKeyDer(previous);
            if (keys.stream().noneMatch(key -> MessageDigest.isEqual(key.publicKey(), der))) {
                keys.add(new PublishedKey(CheckpointSigner.keyIdOf(der), der, false));
            }
        }
        this.published = List.copyOf(keys);
        LOG.infof(
                "audit checkpoints are signed with Ed25519 key %s; %d earlier key(s) still trusted",
                signer.keyId(), published.size() - 1);
    }

    public CheckpointSigner signer() {
        return signer;
    }

    /** Every key a checkpoint may be signed by: the current one first. */
    public List<PublishedKey> published() {
        return published;
    }

    /** The X.509 DER of every pinned key. */
    public List<byte[]> pinned() {
        return published.stream().map(PublishedKey::publicKey).toList();
    }

    private static CheckpointSigner signer(AuditConfig config) {
        AuditConfig.Signing signing = config.signing();
        AuditConfig.Checkpoint legacy = config.checkpoint();
        if (signing.keyFile().isPresent()) {
            try {
                return fromPem(Files.readString(signing.keyFile().get(), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot read the audit signing key file (SPALCE_AUDIT_SIGNING_KEY_FILE): "
                                + e.getClass().getSimpleName());
            }
        }
        if (signing.key().isPresent()) {
            return fromPem(signing.key().get());
        }
        if (legacy.privateKey().isPresent() && legacy.publicKey().isPresent()) {
            return CheckpointSigner.fromBase64(
                    legacy.privateKey().get(), legacy.publicKey().get());
        }
        if (!legacy.allowEphemeralKey()) {
            throw new IllegalStateException("the audit checkpoint signing key is required: "
                    + "SPALCE_AUDIT_SIGNING_KEY_FILE (a PEM file from the secret store) or SPALCE_AUDIT_SIGNING_KEY");
        }
        LOG.warn("no checkpoint signing key configured: signing with a key generated at start-up");
        return CheckpointSigner.ephemeral();
    }

    /**
     * An Ed25519 private key in PEM (PKCS#8); a PUBLIC KEY block beside it is checked against it, and without
     * one the public key is computed from the private key's seed.
     */
    static CheckpointSigner fromPem(String pem) {
        byte[] pkcs8 = null;
        byte[] publicKey = null;
        Matcher blocks = PEM.matcher(pem);
        while (blocks.find()) {
            byte[] der = Base64.getMimeDecoder().decode(blocks.group(2));
            if (blocks.group(1).equals("PRIVATE KEY")) {
                pkcs8 = der;
            } else {
                publicKey = der;
            }
        }
        if (pkcs8 == null) {
            throw new IllegalArgumentException("the audit signing key holds no PEM 'PRIVATE KEY' block");
        }
        byte[] seed = null;
        try {
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            if (publicKey == null) {
                seed = ((EdECPrivateKey) privateKey)
                        .getBytes()
                        .orElseThrow(() -> new GeneralSecurityException("the private key holds no seed"));
                byte[] raw = Ed25519Sign.KeyPair.newKeyPairFromSeed(seed).getPublicKey();
                publicKey = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + raw.length);
                System.arraycopy(raw, 0, publicKey, ED25519_SPKI_PREFIX.length, raw.length);
            }
            return CheckpointSigner.of(privateKey, publicKey);
        } catch (GeneralSecurityException | ClassCastException e) {
            // The message names the problem, never the key.
            throw new IllegalArgumentException("the audit signing key is not an Ed25519 private key in PKCS#8 PEM");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
            if (seed != null) {
                Arrays.fill(seed, (byte) 0);
            }
        }
    }

    /** X.509 DER from base64 DER or a PEM PUBLIC KEY block. */
    static byte[] publicKeyDer(String text) {
        Matcher pem = PEM.matcher(text);
        String base64 = pem.find() && pem.group(1).equals("PUBLIC KEY") ? pem.group(2) : text;
        try {
            return Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a previous audit signing public key is neither base64 DER nor PEM");
        }
    }
}
