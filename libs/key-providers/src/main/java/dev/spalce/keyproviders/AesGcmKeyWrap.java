package dev.spalce.keyproviders;

import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.InsecureKeyAccess;
import dev.spalce.crypto.SecretBytes;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Wrapped-key format {@code 0x01}, used by the providers that wrap DEKs with AES-256-GCM under a key they hold
 * (local keystore, PKCS#11 token): {@code 0x01 || nonce (12) || encrypted DEK (32) || tag (16)}, 61 bytes, with
 * {@link WrapContext#encode(int) the wrap context} as AAD. Specified in docs/format.md, section 9.
 *
 * <p>The nonce is random: a CMK version wraps at most a few billion DEKs in its life, and rotation bounds that
 * further, below the 2^32 encryptions per key that NIST SP 800-38D allows for random 96-bit nonces.
 */
public final class AesGcmKeyWrap {

    /** The format byte. */
    public static final int FORMAT = 0x01;
    /** Nonce length. */
    public static final int NONCE_BYTES = 12;
    /** Tag length. */
    public static final int TAG_BYTES = 16;
    /** The length of every wrapped DEK in this format. */
    public static final int WRAPPED_BYTES = 1 + NONCE_BYTES + DataKey.LENGTH_BYTES + TAG_BYTES;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AesGcmKeyWrap() {}

    /**
     * Encrypts {@code dek} under {@code cmk}.
     *
     * @param jca the JCA provider that holds {@code cmk} (a SunPKCS11 instance), or null for the default
     */
    public static byte[] wrap(Key cmk, Provider jca, DataKey dek, WrapContext context) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        Cipher cipher = cipher(jca);
        cipher.init(Cipher.ENCRYPT_MODE, cmk, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        cipher.updateAAD(context.encode(FORMAT));
        byte[] wrapped = new byte[WRAPPED_BYTES];
        wrapped[0] = (byte) FORMAT;
        System.arraycopy(nonce, 0, wrapped, 1, NONCE_BYTES);
        try (SecretBytes plaintext = dek.plaintext(InsecureKeyAccess.get())) {
            byte[] raw = plaintext.toByteArray(InsecureKeyAccess.get());
            try {
                // Encrypted DEK and tag straight into their place: no intermediate array to copy.
                cipher.doFinal(raw, 0, raw.length, wrapped, 1 + NONCE_BYTES);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        return wrapped;
    }

    /**
     * Decrypts a wrapped DEK.
     *
     * @throws BadCiphertextException if the layout is wrong (length, format byte)
     * @throws javax.crypto.AEADBadTagException if the tag does not verify: the caller decides whether that is a
     *     bad ciphertext or a failing provider
     */
    public static DataKey unwrap(Key cmk, Provider jca, byte[] wrapped, WrapContext context)
            throws GeneralSecurityException {
        if (wrapped.length != WRAPPED_BYTES) {
            throw new BadCiphertextException("a wrapped DEK of format 0x01 is " + WRAPPED_BYTES + " bytes long");
        }
        if ((wrapped[0] & 0xff) != FORMAT) {
            throw new BadCiphertextException("the wrapped DEK is not of format 0x01");
        }
        Cipher cipher = cipher(jca);
        cipher.init(
                Cipher.DECRYPT_MODE,
                cmk,
                new GCMParameterSpec(TAG_BYTES * 8, Arrays.copyOfRange(wrapped, 1, 1 + NONCE_BYTES)));
        cipher.updateAAD(context.encode(FORMAT));
        byte[] raw = cipher.doFinal(wrapped, 1 + NONCE_BYTES, wrapped.length - 1 - NONCE_BYTES);
        try (SecretBytes plaintext = SecretBytes.copyOf(raw)) {
            return DataKey.fromPlaintext(plaintext);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static Cipher cipher(Provider jca) throws GeneralSecurityException {
        return jca == null ? Cipher.getInstance(TRANSFORMATION) : Cipher.getInstance(TRANSFORMATION, jca);
    }
}
