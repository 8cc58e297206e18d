package dev.spalce.crypto;

import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.InvalidAlgorithmParameterException;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@link PayloadFormat#STREAM_AES_GCM_HKDF}: the version byte {@code 0x02}, then a Tink AES-GCM-HKDF streaming
 * ciphertext whose associated data (the HKDF info) is the canonical encoding of the file's
 * {@link AssociatedData}, which itself contains the version byte.
 */
final class AesGcmHkdfStreamCipher implements StreamCipher {

    static final PayloadFormat FORMAT = PayloadFormat.STREAM_AES_GCM_HKDF;

    /**
     * 1 MiB: large enough that the 16-byte tag per segment costs 0.0015 %, small enough that a stream holds
     * about 2 MiB of buffers whatever the file's size.
     */
    private static final int CIPHERTEXT_SEGMENT_BYTES = 1 << 20;

    private static final String HKDF_SHA256 = "HmacSha256";

    private final DataKey key;

    AesGcmHkdfStreamCipher(DataKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public OutputStream encryptingStream(OutputStream ciphertextSink, AssociatedData associatedData) {
        Objects.requireNonNull(ciphertextSink, "ciphertextSink");
        Objects.requireNonNull(associatedData, "associatedData");
        associatedData.requireKind(AssociatedData.Kind.FILE);
        return new EncryptingOutputStream(ciphertextSink, newTinkPrimitive(), associatedData.encode(FORMAT));
    }

    @Override
    public InputStream decryptingStream(InputStream ciphertextSource, AssociatedData associatedData) {
        Objects.requireNonNull(ciphertextSource, "ciphertextSource");
        Objects.requireNonNull(associatedData, "associatedData");
        associatedData.requireKind(AssociatedData.Kind.FILE);
        return new DecryptingInputStream(ciphertextSource, newTinkPrimitive(), associatedData.encode(FORMAT));
    }

    @Override
    public String toString() {
        return String.format(
                "StreamCipher[AES-GCM-HKDF-SHA256 streaming, 1 MiB segments, format 0x%02x]", FORMAT.version());
    }

    /**
     * One Tink primitive per stream. The subtle constructor is used rather than {@code AesGcmHkdfStreaming.create
     * (AesGcmHkdfStreamingKey)} because it is the same algorithm with the same wire format (first segment offset
     * 0), while leaving one fewer copy of the DEK on the heap that nobody can erase.
     */
    private StreamingAead newTinkPrimitive() {
        byte[] keyBytes = key.copyOfKeyBytes();
        try {
            return new AesGcmHkdfStreaming(keyBytes, HKDF_SHA256, DataKey.LENGTH_BYTES, CIPHERTEXT_SEGMENT_BYTES, 0);
        } catch (InvalidAlgorithmParameterException e) {
            throw new CryptoException("Tink rejected the streaming parameters", e);
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }
}
