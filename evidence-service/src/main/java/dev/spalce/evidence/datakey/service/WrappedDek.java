package dev.spalce.evidence.datakey.service;

import java.util.Objects;

/**
 * What is stored next to every ciphertext: the DEK wrapped by the workspace's CMK, and the CMK version that
 * wrapped it.
 */
public record WrappedDek(byte[] wrapped, String kmsKeyId) {

    public WrappedDek {
        Objects.requireNonNull(wrapped, "wrapped");
        Objects.requireNonNull(kmsKeyId, "kmsKeyId");
    }
}
