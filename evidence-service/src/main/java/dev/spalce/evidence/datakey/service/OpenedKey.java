package dev.spalce.evidence.datakey.service;

import dev.spalce.crypto.DataKey;
import dev.spalce.kit.api.ProblemException;

/**
 * One record's DEK as a batched unwrap answered it: the key, or the problem that keeps this one record unreadable
 * (its wrapped DEK does not authenticate, its key version is retired). Exactly one of the two is set. The holder
 * closes it.
 */
public record OpenedKey(DataKey key, ProblemException problem) implements AutoCloseable {

    public static OpenedKey of(DataKey key) {
        return new OpenedKey(key, null);
    }

    public static OpenedKey refused(ProblemException problem) {
        return new OpenedKey(null, problem);
    }

    @Override
    public void close() {
        if (key != null) {
            key.close();
        }
    }
}
