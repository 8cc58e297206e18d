package dev.spalce.evidence.rewrap.repository;

import dev.spalce.evidence.datakey.model.WrappedKeyRow;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The wrapped DEKs of every table that holds one, seen as one list of (record type, record id, kms_key_id,
 * wrapped_dek) for rewrap. Runs inside a workspace transaction (row-level security applies as well).
 */
@ApplicationScoped
public class WrappedKeyRepository {

    /** Record type to table: the only table names these queries ever contain. */
    public static final Map<String, String> TABLES = Map.of(
            "check-result", "check_result",
            "evidence", "evidence_file",
            "integration", "integration",
            "personnel", "personnel");

    /** How many records of each type each CMK version wraps. */
    public record VersionCount(String kmsKeyId, String recordType, long records) {}

    public Uni<List<VersionCount>> countByVersion(String workspaceId) {
        String sql = String.join(
                " UNION ALL ",
                TABLES.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(table -> "SELECT kms_key_id, '" + table.getKey() + "', count(*) FROM " + table.getValue()
                                + " WHERE workspace_id = :workspace GROUP BY kms_key_id")
                        .toList());
        return Panache.getSession()
                .chain(session -> session.<Object[]>createNativeQuery(sql)
                        .setParameter("workspace", workspaceId)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(row -> new VersionCount((String) row[0], (String) row[1], ((Number) row[2]).longValue()))
                        .toList());
    }

    /** How many records are wrapped under a version other than {@code kmsKeyId}. */
    public Uni<Long> countNotOn(String workspaceId, String kmsKeyId) {
        String sql = "SELECT "
                + String.join(
                        " + ",
                        TABLES.values().stream()
                                .sorted()
                                .map(table -> "(SELECT count(*) FROM " + table
                                        + " WHERE workspace_id = :workspace AND kms_key_id <> :key)")
                                .toList());
        return Panache.getSession()
                .chain(session -> session.<Object>createNativeQuery(sql)
                        .setParameter("workspace", workspaceId)
                        .setParameter("key", kmsKeyId)
                        .getSingleResult())
                .map(count -> ((Number) count).longValue());
    }

    /**
     * Records wrapped under {@code kmsKeyId} ({@code on}) or under any other version (not {@code on}), in (record
     * type, record id) order, strictly after the given position: a stable cursor, since neither changes (a record
     * moved by a compare-and-set simply leaves the list). One query per table, from the cursor on, until the page
     * is full: each an index range scan on (workspace_id, id) that stops after {@code limit} matches, so a page
     * costs the same at the start of a million records as at their end.
     */
    public Uni<List<WrappedKeyRow>> page(
            String workspaceId, String kmsKeyId, boolean on, String afterType, UUID afterId, int limit) {
        List<String> types = TABLES.keySet().stream()
                .sorted()
                .filter(type -> type.compareTo(afterType) >= 0)
                .toList();
        return pageFrom(types, 0, workspaceId, kmsKeyId, on, afterType, afterId, limit, new ArrayList<>());
    }

    private Uni<List<WrappedKeyRow>> pageFrom(
            List<String> types,
            int index,
            String workspaceId,
            String kmsKeyId,
            boolean on,
            String afterType,
            UUID afterId,
            int limit,
            List<WrappedKeyRow> found) {
        if (index == types.size() || found.size() == limit) {
            return Uni.createFrom().item(found);
        }
        String type = types.get(index);
        boolean fromCursor = type.equals(afterType);
        String sql = "SELECT CAST(id AS text) AS record_id, kms_key_id, wrapped_dek FROM " + TABLES.get(type)
                + " WHERE workspace_id = :workspace AND " + (on ? "kms_key_id = :key" : "kms_key_id <> :key")
                + (fromCursor ? " AND id > CAST(:afterId AS uuid)" : "") + " ORDER BY id LIMIT :limit";
        return Panache.getSession()
                .chain(session -> {
                    var query = session.<Object[]>createNativeQuery(sql)
                            .setParameter("workspace", workspaceId)
                            .setParameter("key", kmsKeyId)
                            .setParameter("limit", limit - found.size());
                    if (fromCursor) {
                        query.setParameter("afterId", afterId.toString());
                    }
                    return query.getResultList();
                })
                .chain(rows -> {
                    rows.forEach(row -> found.add(new WrappedKeyRow(
                            type, UUID.fromString((String) row[0]), (String) row[1], (byte[]) row[2])));
                    return pageFrom(types, index + 1, workspaceId, kmsKeyId, on, afterType, afterId, limit, found);
                });
    }

    /**
     * A record's new wrapped DEK and key version, to be stored only where it still holds {@code expectedWrappedDek}
     * (the rewrap support API's {@link dev.spalce.contracts.rewrap.WrappedKeys.Swap}, decoded).
     */
    public record KeySwap(
            String recordType, UUID recordId, byte[] expectedWrappedDek, byte[] wrappedDek, String kmsKeyId) {}

    /**
     * Applies each swap of records of {@code recordType} whose stored wrapped DEK is still the expected one, in one
     * statement (one round trip for the whole batch); the ids of the records it changed.
     */
    public Uni<Set<UUID>> compareAndSet(String workspaceId, String recordType, List<KeySwap> swaps) {
        String table = table(recordType);
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < swaps.size(); i++) {
            values.append(i == 0 ? "" : ", ")
                    .append("(CAST(:id")
                    .append(i)
                    .append(" AS uuid), CAST(:expected")
                    .append(i)
                    .append(" AS bytea), CAST(:wrapped")
                    .append(i)
                    .append(" AS bytea), CAST(:key")
                    .append(i)
                    .append(" AS text))");
        }
        String sql = "WITH changed AS (UPDATE " + table + " t SET wrapped_dek = s.wrapped, kms_key_id = s.key"
                + " FROM (VALUES " + values + ") AS s(id, expected, wrapped, key)"
                + " WHERE t.workspace_id = :workspace AND t.id = s.id AND t.wrapped_dek = s.expected"
                // On the same key a rewrap only moves forward: never back to an older (perhaps retired) version.
                + " AND (regexp_replace(t.kms_key_id, '#v[0-9]+$', '') <> regexp_replace(s.key, '#v[0-9]+$', '')"
                + " OR CAST(substring(s.key FROM '#v([0-9]+)$') AS integer)"
                + " > CAST(substring(t.kms_key_id FROM '#v([0-9]+)$') AS integer))"
                + " RETURNING t.id)"
                + " SELECT CAST(id AS text) FROM changed";
        return Panache.getSession()
                .chain(session -> {
                    var query = session.<Object>createNativeQuery(sql).setParameter("workspace", workspaceId);
                    for (int i = 0; i < swaps.size(); i++) {
                        KeySwap swap = swaps.get(i);
                        query.setParameter("id" + i, swap.recordId().toString())
                                .setParameter("expected" + i, swap.expectedWrappedDek())
                                .setParameter("wrapped" + i, swap.wrappedDek())
                                .setParameter("key" + i, swap.kmsKeyId());
                    }
                    return query.getResultList();
                })
                .map(ids -> ids.stream().map(id -> UUID.fromString((String) id)).collect(Collectors.toSet()));
    }

    /** Which of {@code recordIds} (records of {@code recordType}) exist in the workspace. */
    public Uni<Set<UUID>> existing(String workspaceId, String recordType, List<UUID> recordIds) {
        String table = table(recordType);
        return Panache.getSession()
                .chain(session -> session.<Object>createNativeQuery("SELECT CAST(id AS text) FROM " + table
                                + " WHERE workspace_id = :workspace AND id IN (:ids)")
                        .setParameter("workspace", workspaceId)
                        .setParameter("ids", recordIds)
                        .getResultList())
                .map(ids -> ids.stream().map(id -> UUID.fromString((String) id)).collect(Collectors.toSet()));
    }

    private static String table(String recordType) {
        String table = TABLES.get(recordType);
        if (table == null) {
            throw new IllegalArgumentException("unknown record type " + recordType + "; known: "
                    + Arrays.toString(TABLES.keySet().toArray()));
        }
        return table;
    }
}
