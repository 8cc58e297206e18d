package dev.spalce.auditchain;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** A SHA-256 value in the chain: an entry's hash, or the previous entry's hash it commits to. */
public final class ChainHash {

    public static final int LENGTH = 32;

    /** The "previous hash" of a workspace's first entry. */
    public static final ChainHash GENESIS = new ChainHash(new byte[LENGTH]);

    private final byte[] bytes;

    private ChainHash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static ChainHash of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a chain hash is " + LENGTH + " bytes, got " + bytes.length);
        }
        return new ChainHash(bytes.clone());
    }

    /** From 64 lowercase or uppercase hex digits. */
    public static ChainHash fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("a chain hash is " + LENGTH * 2 + " hex digits");
        }
        return new ChainHash(HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChainHash that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
