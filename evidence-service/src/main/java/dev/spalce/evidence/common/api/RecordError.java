package dev.spalce.evidence.common.api;

import dev.spalce.kit.api.ProblemException;

/**
 * Why one record of a page could not be read: the problem+json fields of that record alone (the page itself
 * succeeded). Its {@code type} is one a single read of the record would answer with, e.g. {@code bad-wrapped-key}.
 */
public record RecordError(String type, String title, int status, String detail) {

    public static RecordError of(ProblemException problem) {
        return problem == null
                ? null
                : new RecordError(problem.type().toString(), problem.title(), problem.status(), problem.getMessage());
    }
}
