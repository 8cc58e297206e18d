package dev.spalce.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a 96-bit nonce and a 128-bit tag, through JCA. The one place where field payloads meet the
 * cipher, kept separate from nonce generation and framing so that known-answer vectors test exactly this code.
 */
final class Aes256Gcm {

    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private Aes256Gcm() {}

    /** Returns ciphertext || tag. The caller guarantees that {@code nonce} is never reused with {@code key}. */
    static byte[] encrypt(DataKey key, byte[] nonce, byte[] plaintext, byte[] associatedData) {
        byte[] out = new byte[plaintext.length + TAG_BYTES];
        encrypt(key, nonce, plaintext, associatedData, out, 0);
        return out;
    }

    /**
     * Writes ciphertext || tag into {@code out} from {@code outOffset}, so that a caller framing it (format byte,
     * nonce) needs no second copy of the body. {@code out} has room for {@code plaintext.length + TAG_BYTES} there.
     */
    static void encrypt(DataKey key, byte[] nonce, byte[] plaintext, byte[] associatedData, byte[] out, int outOffset) {
        try {
            Cipher cipher = initialised(Cipher.ENCRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData);
            cipher.doFinal(plaintext, 0, plaintext.length, out, outOffset);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-256-GCM encryption failed in the JCA provider", e);
        }
    }

    /**
     * Decrypts ciphertext || tag, read from {@code input[offset, offset + length)}.
     *
     * @throws BadCiphertextException if the tag does not verify
     */
    static byte[] decrypt(DataKey key, byte[] nonce, byte[] input, int offset, int length, byte[] associatedData) {
        if (length < TAG_BYTES) {
            throw new BadCiphertextException("ciphertext is too short to hold an authentication tag");
        }
        try {
            Cipher cipher = initialised(Cipher.DECRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData);
            return cipher.doFinal(input, offset, length);
        } catch (AEADBadTagException e) {
            throw new BadCiphertextException(
                    "ciphertext did not authenticate: wrong key, other associated data, or modified", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-256-GCM decryption failed in the JCA provider", e);
        }
    }

    private static Cipher initialised(int mode, DataKey key, byte[] nonce) throws GeneralSecurityException {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("AES-GCM nonce must be " + NONCE_BYTES + " bytes");
        }
        byte[] keyBytes = key.copyOfKeyBytes();
        try {
            // SecretKeySpec and the provider keep their own copies, which Java gives us no way to erase; the
            // copy this class owns is zeroed at once.
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, new SecretKeySpec(keyBytes, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            return cipher;
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }
}
