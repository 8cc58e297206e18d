package dev.spalce.evidence.export.service;

import com.google.crypto.tink.subtle.Ed25519Sign;
import dev.spalce.evidence.export.config.ExportConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The export signing key: Ed25519 (JCA), configured like the audit checkpoint signing key (a PEM file from the
 * secret store, or an environment variable). It signs each archive's {@code manifest.json}; the public key is what
 * a customer checks an archive against ({@code tools/decrypt --public-key}), published through the API.
 */
@ApplicationScoped
public class ExportSigner {

    /** X.509 SubjectPublicKeyInfo DER of an Ed25519 key, before its 32 raw bytes (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    public ExportSigner(ExportConfig config) {
        try {
            if (config.signingKeyFile().filter(file -> !file.isBlank()).isPresent()) {
                privateKey =
                        parse(Files.readString(Path.of(config.signingKeyFile().get())));
            } else if (config.signingKey().filter(key -> !key.isBlank()).isPresent()) {
                privateKey = parse(config.signingKey().get());
            } else if (config.allowEphemeralKey()) {
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                privateKey = pair.getPrivate();
            } else {
                throw new IllegalStateException("spalce.evidence.export.signing-key-file or .signing-key is required "
                        + "(SPALCE_EVIDENCE_EXPORT_SIGNING_KEY_FILE: a PEM file of an Ed25519 PKCS#8 private key)");
            }
            publicKey = publicKeyOf(privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the export signing key file", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the export signing key is not an Ed25519 PKCS#8 private key", e);
        }
    }

    /** The Ed25519 signature of {@code bytes}. */
    public byte[] sign(byte[] bytes) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(bytes);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required of every JDK 15 or later", e);
        }
    }

    /** The public key, X.509 SubjectPublicKeyInfo DER, base64. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** The key's id: the first 16 hex digits of SHA-256 of the public key's DER. */
    public String keyId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static PrivateKey parse(String pemOrBase64) throws GeneralSecurityException {
        String base64 =
                pemOrBase64.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** The public key of {@code key}, computed from its seed (the JCA offers no call for it; Tink does). */
    private static PublicKey publicKeyOf(PrivateKey key) throws GeneralSecurityException {
        if (!(key instanceof EdECPrivateKey edec)) {
            throw new GeneralSecurityException("not an Ed25519 private key");
        }
        byte[] seed = edec.getBytes().orElseThrow(() -> new GeneralSecurityException("the private key holds no seed"));
        try {
            byte[] raw = Ed25519Sign.KeyPair.newKeyPairFromSeed(seed).getPublicKey();
            byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
            System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
            System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }
}
