package dev.spalce.crypto;

import com.google.crypto.tink.StreamingAead;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;

/**
 * Writes the format version byte, then Tink's streaming ciphertext. Starts lazily, on the first write or on
 * close, so that creating the stream does no I/O and an empty file still gets a complete ciphertext.
 */
final class EncryptingOutputStream extends OutputStream {

    private final OutputStream sink;
    private final StreamingAead aead;
    private final byte[] associatedData;
    private OutputStream tinkStream;
    private boolean closed;

    EncryptingOutputStream(OutputStream sink, StreamingAead aead, byte[] associatedData) {
        this.sink = sink;
        this.aead = aead;
        this.associatedData = associatedData;
    }

    @Override
    public void write(int b) throws IOException {
        started().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        started().write(b, off, len);
    }

    /** Flushes the sink; plaintext of the current segment stays buffered until the segment is full or closed. */
    @Override
    public void flush() throws IOException {
        if (tinkStream != null) {
            tinkStream.flush();
        } else {
            sink.flush();
        }
    }

    /** Encrypts and writes the final segment, then closes the sink. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        OutputStream stream = started();
        closed = true;
        stream.close();
    }

    private OutputStream started() throws IOException {
        if (closed) {
            throw new IOException("the encrypting stream is closed");
        }
        if (tinkStream == null) {
            sink.write(AesGcmHkdfStreamCipher.FORMAT.version());
            try {
                tinkStream = aead.newEncryptingStream(sink, associatedData);
            } catch (GeneralSecurityException e) {
                throw new CryptoException("could not start stream encryption", e);
            }
        }
        return tinkStream;
    }
}
