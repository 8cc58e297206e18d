package dev.spalce.crypto;

/**
 * The wire formats of Spalce payload ciphertexts (see docs/format.md). The version is the first byte of every
 * ciphertext, is stored next to it as its format version, and is part of its associated data, so that a
 * ciphertext cannot be reinterpreted under another format.
 */
public enum PayloadFormat {

    /** A field: {@code 0x01 || nonce (12) || AES-256-GCM ciphertext || tag (16)}. */
    FIELD_AES_GCM(0x01),

    /** A file: {@code 0x02 ||} a Tink AES-GCM-HKDF streaming ciphertext (HKDF-SHA256, 1 MiB segments). */
    STREAM_AES_GCM_HKDF(0x02);

    private final int version;

    PayloadFormat(int version) {
        this.version = version;
    }

    /** The version byte, 1 to 255. */
    public int version() {
        return version;
    }
}
