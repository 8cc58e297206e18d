package dev.spalce.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@link PayloadFormat#FIELD_AES_GCM}: {@code 0x01 || nonce (12) || ciphertext || tag (16)}, AES-256-GCM with
 * the associated data's canonical encoding as AAD.
 *
 * <p>Nonces are random. With a fresh DEK for every record a key sees a handful of encryptions, far below the
 * 2^32 that NIST SP 800-38D allows for random 96-bit nonces.
 */
final class AesGcmFieldCipher implements FieldCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final PayloadFormat FORMAT = PayloadFormat.FIELD_AES_GCM;
    private static final int NONCE_OFFSET = 1;
    private static final int BODY_OFFSET = NONCE_OFFSET + Aes256Gcm.NONCE_BYTES;
    private static final int MIN_CIPHERTEXT_BYTES = BODY_OFFSET + Aes256Gcm.TAG_BYTES;

    private final DataKey key;

    AesGcmFieldCipher(DataKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public byte[] encrypt(byte[] plaintext, AssociatedData associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(associatedData, "associatedData");
        associatedData.requireKind(AssociatedData.Kind.FIELD);
        byte[] nonce = new byte[Aes256Gcm.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] ciphertext = new byte[BODY_OFFSET + plaintext.length + Aes256Gcm.TAG_BYTES];
        ciphertext[0] = (byte) FORMAT.version();
        System.arraycopy(nonce, 0, ciphertext, NONCE_OFFSET, nonce.length);
        // Straight into its place after format byte and nonce: no second copy of the record.
        Aes256Gcm.encrypt(key, nonce, plaintext, associatedData.encode(FORMAT), ciphertext, BODY_OFFSET);
        return ciphertext;
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, AssociatedData associatedData) {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(associatedData, "associatedData");
        associatedData.requireKind(AssociatedData.Kind.FIELD);
        if (ciphertext.length < MIN_CIPHERTEXT_BYTES) {
            throw new BadCiphertextException(
                    "field ciphertext is shorter than the minimum of " + MIN_CIPHERTEXT_BYTES + " bytes");
        }
        if ((ciphertext[0] & 0xff) != FORMAT.version()) {
            throw new BadCiphertextException(String.format(
                    "field ciphertext has an unsupported format version (expected 0x%02x)", FORMAT.version()));
        }
        byte[] nonce = Arrays.copyOfRange(ciphertext, NONCE_OFFSET, BODY_OFFSET);
        return Aes256Gcm.decrypt(
                key, nonce, ciphertext, BODY_OFFSET, ciphertext.length - BODY_OFFSET, associatedData.encode(FORMAT));
    }

    @Override
    public String toString() {
        return String.format("FieldCipher[AES-256-GCM, format 0x%02x]", FORMAT.version());
    }
}
