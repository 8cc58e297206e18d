package dev.spalce.evidence.common.repository;

import dev.spalce.kit.api.ProblemException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Where a page in (time, id) order resumes: the last row's timestamp (in microseconds, PostgreSQL's precision) and
 * id, as the opaque cursor string {@code <micros>_<uuid>} the list APIs hand out. A null time and id mean "from the
 * start".
 */
public record KeysetCursor(Instant afterTime, UUID afterId) {

    private static final KeysetCursor START = new KeysetCursor(null, null);

    /** The cursor of a request; {@code null} reads from the start. */
    public static KeysetCursor parse(String cursor) {
        if (cursor == null) {
            return START;
        }
        KeysetCursor parsed;
        try {
            String[] parts = cursor.split("_", 2);
            parsed = new KeysetCursor(
                    Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw ProblemException.invalid("cursor is not one this service issued");
        }
        // Long.parseLong and UUID.fromString accept other spellings ("+1", "007", upper case, short groups): a
        // cursor is only ever the one this service wrote for its position.
        if (!after(parsed.afterTime(), parsed.afterId()).equals(cursor)) {
            throw ProblemException.invalid("cursor is not one this service issued");
        }
        return parsed;
    }

    /** The cursor that resumes after the row with this time and id. */
    public static String after(Instant time, UUID id) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, time) + "_" + id;
    }
}
