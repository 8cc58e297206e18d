package dev.spalce.crypto;

/** Factories of {@link StreamCipher}s. */
public final class StreamCiphers {

    private StreamCiphers() {}

    /**
     * Tink's AES-GCM-HKDF streaming AEAD keyed by the DEK: HKDF-SHA256, 32-byte derived AES keys, 1 MiB
     * ciphertext segments ({@link PayloadFormat#STREAM_AES_GCM_HKDF}). Once {@code key} is closed, the cipher
     * refuses to open new streams.
     */
    public static StreamCipher aesGcmHkdf(DataKey key) {
        return new AesGcmHkdfStreamCipher(key);
    }
}
