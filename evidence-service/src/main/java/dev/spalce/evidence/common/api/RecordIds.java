package dev.spalce.evidence.common.api;

import dev.spalce.kit.api.ProblemException;
import java.util.UUID;

/** Record ids in paths: UUIDs; anything else names no record (404, as an id of another workspace does). */
public final class RecordIds {

    private RecordIds() {}

    public static UUID parse(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound(what, "?");
        }
    }
}
