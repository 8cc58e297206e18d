package dev.spalce.gateway.readaudit.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The queries of {@code read_tally} (V3__read_tally.sql). Windows are cut on the database's clock. */
@ApplicationScoped
public class ReadTallyRepository {

    /** Counted reads: their window's row, created or incremented (its first request id stays the first). */
    private static final String COUNT = """
            INSERT INTO read_tally (workspace_id, subject, resource, source_address, window_start, reads,
                                    first_request_id)
            VALUES (:workspace, :subject, :resource, :address,
                    to_timestamp(floor(extract(epoch FROM clock_timestamp()) / :seconds) * :seconds), :reads,
                    :requestId)
            ON CONFLICT (workspace_id, subject, resource, source_address, window_start)
            DO UPDATE SET reads = read_tally.reads + EXCLUDED.reads
            """;

    /** The rows of windows that have closed, oldest first, locked for this transaction (another instance skips them). */
    private static final String CLOSED = """
            SELECT workspace_id::text, subject, resource, source_address,
                   to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   to_char((window_start + make_interval(secs => :seconds)) AT TIME ZONE 'UTC',
                           'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   reads, first_request_id
            FROM read_tally
            WHERE window_start + make_interval(secs => :seconds) <= clock_timestamp()
            ORDER BY window_start
            LIMIT :limit
            FOR UPDATE SKIP LOCKED
            """;

    private static final String DELETE = """
            DELETE FROM read_tally
            WHERE workspace_id = :workspace AND subject = :subject AND resource = :resource
              AND source_address = :address AND window_start = :windowStart
            """;

    /** A closed window's count of one actor's reads of one resource from one address. */
    public record ClosedWindow(
            String workspaceId,
            String subject,
            String resource,
            String sourceAddress,
            String windowStart,
            String windowEnd,
            int reads,
            String firstRequestId) {}

    public Uni<Void> count(
            UUID workspace,
            String subject,
            String resource,
            String sourceAddress,
            int reads,
            String firstRequestId,
            long seconds) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(COUNT)
                        .setParameter("workspace", workspace)
                        .setParameter("subject", subject)
                        .setParameter("resource", resource)
                        .setParameter("address", sourceAddress)
                        .setParameter("reads", reads)
                        .setParameter("requestId", firstRequestId)
                        .setParameter("seconds", seconds)
                        .executeUpdate())
                .replaceWithVoid();
    }

    public Uni<List<ClosedWindow>> lockClosed(long seconds, int limit) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(CLOSED, Object[].class)
                        .setParameter("seconds", seconds)
                        .setParameter("limit", limit)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(row -> new ClosedWindow(
                                (String) row[0],
                                (String) row[1],
                                (String) row[2],
                                (String) row[3],
                                (String) row[4],
                                (String) row[5],
                                ((Number) row[6]).intValue(),
                                (String) row[7]))
                        .toList());
    }

    public Uni<Void> delete(ClosedWindow window) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(DELETE)
                        .setParameter("workspace", UUID.fromString(window.workspaceId()))
                        .setParameter("subject", window.subject())
                        .setParameter("resource", window.resource())
                        .setParameter("address", window.sourceAddress())
                        .setParameter("windowStart", OffsetDateTime.parse(window.windowStart()))
                        .executeUpdate())
                .replaceWithVoid();
    }
}
