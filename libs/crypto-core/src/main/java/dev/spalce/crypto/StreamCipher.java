package dev.spalce.crypto;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Encrypts and decrypts one file under one {@link DataKey}, bound to {@link AssociatedData#forFile its
 * evidence}, in bounded memory whatever the file's size. The ciphertext is cut into authenticated segments
 * whose order and end are authenticated too, so truncation, reordering and modification are all detected.
 *
 * <p>Errors while reading: a decrypting stream's {@code read} throws {@link BadCiphertextException} (unchecked)
 * when the ciphertext does not authenticate, and {@link java.io.IOException} only when the underlying source
 * fails. Decryption releases each segment's plaintext once that segment has authenticated, so the beginning of
 * a truncated or tampered file may already have been read when the exception comes: treat what you read as
 * untrusted until the stream has reported end of file, e.g. write it to a temporary location and commit it
 * only then.
 *
 * <p>The cipher is thread-safe; each stream it returns is for one thread. Closing a stream closes the
 * underlying one. A stream keeps a copy of the key inside Tink for its lifetime, so closing the
 * {@link DataKey} stops new streams, not one already open.
 */
public interface StreamCipher {

    /**
     * Returns a stream that encrypts what is written to it into {@code ciphertextSink}. The ciphertext is
     * complete only after {@code close()}, which writes the final segment.
     *
     * @throws IllegalArgumentException if {@code associatedData} was not made by {@link AssociatedData#forFile}
     * @throws IllegalStateException if the key has been closed
     */
    OutputStream encryptingStream(OutputStream ciphertextSink, AssociatedData associatedData);

    /**
     * Returns a stream of the plaintext of {@code ciphertextSource}.
     *
     * @throws IllegalArgumentException if {@code associatedData} was not made by {@link AssociatedData#forFile}
     * @throws IllegalStateException if the key has been closed
     */
    InputStream decryptingStream(InputStream ciphertextSource, AssociatedData associatedData);
}
