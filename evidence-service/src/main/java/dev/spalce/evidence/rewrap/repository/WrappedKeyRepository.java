package dev.spalce.evidence.rewrap.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

    /** One record's wrapped DEK. */
    public record WrappedKeyRow(String recordType, UUID recordId, String kmsKeyId, byte[] wrappedDek) {
    }

    /** How many records of each type each CMK version wraps. */
    public record VersionCount(String kmsKeyId, String recordType, long records) {
    }

    public Uni<List<VersionCount>> countByVersion(String workspaceId) {
        String sql = String.join(" UNION ALL ", TABLES.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(table -> "SELECT kms_key_id, '" + table.getKey() + "', count(*) FROM " + table.getValue()
                        + " WHERE workspace_id = :workspace GROUP BY kms_key_id")
                .toList());
        return Panache.getSession().chain(session -> session.<Object[]>createNativeQuery(sql)
                        .setParameter("workspace", workspaceId).getResultList())
                .map(rows -> rows.stream().map(row -> new VersionCount((String) row[0], (String) row[1],
                        ((Number) row[2]).longValue())).toList());
    }

    /** How many records are wrapped under a version other than {@code kmsKeyId}. */
    public Uni<Long> countNotOn(String workspaceId, String kmsKeyId) {
        String sql = "SELECT " + String.join(" + ", TABLES.values().stream().sorted()
                .map(table -> "(SELECT count(*) FROM " + table + " WHERE workspace_id = :workspace AND kms_key_id <> :key)")
                .toList());
        return Panache.getSession().chain(session -> session.<Object>createNativeQuery(sql)
                        .setParameter("workspace", workspaceId).setParameter("key", kmsKeyId).getSingleResult())
                .map(count -> ((Number) count).longValue());
    }

    /**
     * Records wrapped under {@code kmsKeyId} ({@code on}) or under any other version (not {@code on}), in (record
     * type, record id) order, strictly after the given position: a stable cursor, since neither changes (a record
     * moved by a compare-and-set simply leaves the list).
     */
    public Uni<List<WrappedKeyRow>> page(String workspaceId, String kmsKeyId, boolean on, String afterType,
                                         UUID afterId, int limit) {
        String condition = on ? "kms_key_id = :key" : "kms_key_id <> :key";
        String union = String.join(" UNION ALL ", TABLES.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(table -> "SELECT '" + table.getKey() + "' AS record_type, id, kms_key_id, wrapped_dek FROM "
                        + table.getValue() + " WHERE workspace_id = :workspace AND " + condition)
                .toList());
        String sql = "SELECT record_type, CAST(id AS text), kms_key_id, wrapped_dek FROM (" + union + ") r "
                + "WHERE (record_type, id) > (:afterType, CAST(:afterId AS uuid)) ORDER BY record_type, id LIMIT :limit";
        return Panache.getSession().chain(session -> session.<Object[]>createNativeQuery(sql)
                        .setParameter("workspace", workspaceId).setParameter("key", kmsKeyId)
                        .setParameter("afterType", afterType).setParameter("afterId", afterId.toString())
                        .setParameter("limit", limit).getResultList())
                .map(rows -> rows.stream().map(row -> new WrappedKeyRow((String) row[0], UUID.fromString((String) row[1]),
                        (String) row[2], (byte[]) row[3])).toList());
    }

    /**
     * Sets the record's wrapped DEK and key version only if its stored wrapped DEK is still {@code expected};
     * returns the number of rows changed (0 or 1).
     */
    public Uni<Integer> compareAndSet(String workspaceId, String recordType, UUID recordId, byte[] expected,
                                      byte[] wrappedDek, String kmsKeyId) {
        String table = table(recordType);
        return Panache.getSession().chain(session -> session.createNativeQuery("UPDATE " + table
                        + " SET wrapped_dek = :wrapped, kms_key_id = :key"
                        + " WHERE workspace_id = :workspace AND id = :id AND wrapped_dek = :expected")
                .setParameter("wrapped", wrappedDek).setParameter("key", kmsKeyId)
                .setParameter("workspace", workspaceId).setParameter("id", recordId)
                .setParameter("expected", expected).executeUpdate());
    }

    /** Whether the record exists in the workspace. */
    public Uni<Boolean> exists(String workspaceId, String recordType, UUID recordId) {
        String table = table(recordType);
        return Panache.getSession().chain(session -> session.<Object>createNativeQuery("SELECT 1 FROM " + table
                        + " WHERE workspace_id = :workspace AND id = :id")
                .setParameter("workspace", workspaceId).setParameter("id", recordId).getResultList())
                .map(rows -> !rows.isEmpty());
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
