package dev.spalce.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A 64 MiB file through encryption and decryption in a heap too small to hold it (the module's surefire
 * configuration runs tests with -Xmx48m). Nothing holds the whole stream: plaintext is generated on the fly, the
 * ciphertext is pumped from the encrypting stream straight into the decrypting one, and both sides are compared by
 * digest.
 */
class StreamCipherBoundedMemoryTest {

    private static final long STREAM_BYTES = 64L << 20;
    private static final int CHUNK_BYTES = 64 << 10;

    @Test
    void decrypt_ofEncrypt_64MiBStream_runsInHeapSmallerThanTheStream() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory())
                .as("the heap must be too small to hold the stream, or this test proves nothing")
                .isLessThan(STREAM_BYTES);
        AssociatedData ad = AssociatedData.forFile("tenant-7f3c", "ev-large");
        MessageDigest plaintextDigest = MessageDigest.getInstance("SHA-256");
        MessageDigest decryptedDigest = MessageDigest.getInstance("SHA-256");
        long decryptedBytes = 0;

        try (DataKey key = DataKey.generate()) {
            StreamCipher cipher = StreamCiphers.aesGcmHkdf(key);
            CiphertextPump ciphertext = new CiphertextPump(cipher, ad, plaintextDigest);
            try (InputStream decrypting = cipher.decryptingStream(ciphertext, ad)) {
                byte[] buffer = new byte[CHUNK_BYTES];
                for (int read; (read = decrypting.read(buffer)) != -1; ) {
                    decryptedDigest.update(buffer, 0, read);
                    decryptedBytes += read;
                }
            }
            assertThat(ciphertext.peakBufferedBytes)
                    .as("ciphertext buffered at once")
                    .isLessThan(3 << 20);
        }

        assertThat(decryptedBytes).isEqualTo(STREAM_BYTES);
        assertThat(decryptedDigest.digest()).isEqualTo(plaintextDigest.digest());
    }

    /**
     * An InputStream of ciphertext that encrypts more plaintext only when its reader needs more bytes, so that at
     * most about one segment of ciphertext is buffered at a time, in a single thread.
     */
    private static final class CiphertextPump extends InputStream {

        private final ExposedBuffer pending = new ExposedBuffer();
        private final OutputStream encrypting;
        private final MessageDigest plaintextDigest;
        private final SplittableRandom random = new SplittableRandom(64);
        private final byte[] chunk = new byte[CHUNK_BYTES];
        private long plaintextLeft = STREAM_BYTES;
        private boolean finished;
        private int readPosition;
        int peakBufferedBytes;

        CiphertextPump(StreamCipher cipher, AssociatedData ad, MessageDigest plaintextDigest) {
            this.encrypting = cipher.encryptingStream(pending, ad);
            this.plaintextDigest = plaintextDigest;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (readPosition == pending.size() && !finished) {
                pending.reset();
                readPosition = 0;
                produce();
            }
            if (readPosition == pending.size()) {
                return -1;
            }
            int n = Math.min(len, pending.size() - readPosition);
            System.arraycopy(pending.bytes(), readPosition, b, off, n);
            readPosition += n;
            return n;
        }

        private void produce() throws IOException {
            if (plaintextLeft == 0) {
                encrypting.close();
                finished = true;
            } else {
                int n = (int) Math.min(chunk.length, plaintextLeft);
                random.nextBytes(chunk);
                plaintextDigest.update(chunk, 0, n);
                encrypting.write(chunk, 0, n);
                plaintextLeft -= n;
            }
            peakBufferedBytes = Math.max(peakBufferedBytes, pending.size());
        }
    }

    /** A ByteArrayOutputStream whose buffer can be read without copying it. */
    private static final class ExposedBuffer extends ByteArrayOutputStream {

        byte[] bytes() {
            return buf;
        }
    }
}
