package dev.spalce.crypto;

/** Factories of {@link FieldCipher}s. */
public final class FieldCiphers {

    private FieldCiphers() {}

    /**
     * AES-256-GCM with a random 96-bit nonce and a 128-bit tag ({@link PayloadFormat#FIELD_AES_GCM}). The cipher
     * uses {@code key} in place, without a copy of its own: once the key is closed, the cipher refuses to work.
     */
    public static FieldCipher aesGcm(DataKey key) {
        return new AesGcmFieldCipher(key);
    }
}
