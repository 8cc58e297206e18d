package dev.spalce.crypto;

import com.google.crypto.tink.StreamingAead;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;

/**
 * Checks the format version byte, then returns the plaintext of Tink's streaming ciphertext.
 *
 * <p>Tink reports an authentication failure as an {@link IOException}, just like a failure of the source. To
 * tell the two apart the source is wrapped in a {@link SourceWatch} that remembers the exceptions the source
 * itself threw; every other {@code IOException} from Tink is a ciphertext that did not authenticate, and
 * becomes a {@link BadCiphertextException}.
 */
final class DecryptingInputStream extends InputStream {

    private final SourceWatch source;
    private final StreamingAead aead;
    private final byte[] associatedData;
    private InputStream plaintext;

    DecryptingInputStream(InputStream source, StreamingAead aead, byte[] associatedData) {
        this.source = new SourceWatch(source);
        this.aead = aead;
        this.associatedData = associatedData;
    }

    @Override
    public int read() throws IOException {
        try {
            return started().read();
        } catch (IOException e) {
            throw sourceFailureOrBadCiphertext(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return started().read(b, off, len);
        } catch (IOException e) {
            throw sourceFailureOrBadCiphertext(e);
        }
    }

    @Override
    public int available() throws IOException {
        return plaintext == null ? 0 : plaintext.available();
    }

    @Override
    public void close() throws IOException {
        if (plaintext != null) {
            plaintext.close();
        } else {
            source.close();
        }
    }

    private InputStream started() throws IOException {
        if (plaintext == null) {
            int version = source.read();
            int expected = AesGcmHkdfStreamCipher.FORMAT.version();
            if (version != expected) {
                throw new BadCiphertextException(
                        version == -1
                                ? "file ciphertext is empty"
                                : String.format(
                                        "file ciphertext has an unsupported format version (expected 0x%02x)",
                                        expected));
            }
            try {
                plaintext = aead.newDecryptingStream(source, associatedData);
            } catch (GeneralSecurityException e) {
                throw new CryptoException("could not start stream decryption", e);
            }
        }
        return plaintext;
    }

    private IOException sourceFailureOrBadCiphertext(IOException e) {
        if (source.threw(e)) {
            return e;
        }
        throw new BadCiphertextException(
                "file ciphertext did not authenticate: truncated, reordered, modified, other associated data,"
                        + " or another key",
                e);
    }

    /** Passes reads through and remembers the last exception the real source threw. */
    private static final class SourceWatch extends FilterInputStream {

        private IOException lastFailure;

        SourceWatch(InputStream source) {
            super(source);
        }

        boolean threw(IOException e) {
            return e == lastFailure;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                lastFailure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                lastFailure = e;
                throw e;
            }
        }
    }
}
