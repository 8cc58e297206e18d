package dev.spalce.crypto;

/**
 * Base of every failure this library reports. Unchecked: a caller can rarely recover from a cryptographic
 * failure locally, and the subclasses say which kind it is.
 *
 * <p>A message never contains plaintext, key material or ciphertext bytes.
 */
public class CryptoException extends RuntimeException {

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
