package dev.spalce.cryptoservice.datakey.service;

import dev.spalce.kit.api.ProblemException;

/**
 * The outcome of one batch item: a value or the problem that stopped it.
 *
 * @param value the result, or null
 * @param error the problem, or null
 */
public record ItemResult<T>(T value, ProblemException error) {

    public static <T> ItemResult<T> ok(T value) {
        return new ItemResult<>(value, null);
    }

    public static <T> ItemResult<T> failed(ProblemException error) {
        return new ItemResult<>(null, error);
    }
}
