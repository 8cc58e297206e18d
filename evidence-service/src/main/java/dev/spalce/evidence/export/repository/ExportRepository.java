package dev.spalce.evidence.export.repository;

import dev.spalce.evidence.export.model.WorkspaceExport;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Export jobs, and every stored record of a workspace as it is stored: ciphertexts, wrapped DEK, key version and
 * the clear columns, a page at a time in id order. Runs inside a workspace transaction (row-level security applies).
 */
@ApplicationScoped
public class ExportRepository implements PanacheRepositoryBase<WorkspaceExport, UUID> {

    /**
     * What an export writes of one record type: its table, its ciphertext columns with the field name each is bound
     * to (docs/format.md section 3), and its clear columns. The only SQL identifiers these queries ever contain.
     */
    public record RecordTable(String recordType, String table, Map<String, String> fields, List<String> attributes) {}

    public static final List<RecordTable> TABLES = List.of(
            new RecordTable(
                    "check-result",
                    "check_result",
                    Map.of("details_ct", "details"),
                    List.of("control_id", "status", "run_id", "evidence_ids", "recorded_by", "recorded_at")),
            new RecordTable(
                    "evidence",
                    "evidence_file",
                    Map.of(),
                    List.of(
                            "name",
                            "media_type",
                            "control_id",
                            "tags",
                            "size_bytes",
                            "ciphertext_bytes",
                            "sha256_plaintext",
                            "sha256_ciphertext",
                            "object_key",
                            "uploaded_by",
                            "uploaded_at")),
            new RecordTable(
                    "integration",
                    "integration",
                    Map.of("credentials_ct", "credentials"),
                    List.of("kind", "name", "connected_by", "connected_at")),
            new RecordTable(
                    "personnel",
                    "personnel",
                    orderedMap(
                            "full_name_ct", "full_name",
                            "email_ct", "email",
                            "phone_ct", "phone",
                            "government_id_ct", "government_id"),
                    List.of("department", "created_at", "updated_at")));

    /** One stored record: ciphertexts by field name (a null column is absent), clear columns as text. */
    public record StoredRecord(
            UUID id,
            String kmsKeyId,
            byte[] wrappedDek,
            int formatVersion,
            Map<String, byte[]> fields,
            Map<String, String> attributes) {}

    public Uni<WorkspaceExport> find(String workspaceId, UUID id) {
        return find("workspaceId = ?1 and id = ?2", workspaceId, id).firstResult();
    }

    /** The export, its row locked until the transaction ends: how an attempt records its end. */
    public Uni<WorkspaceExport> lockForFinish(String workspaceId, UUID id) {
        return find("workspaceId = ?1 and id = ?2", workspaceId, id)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /** The workspace's newest exports, newest first. */
    public Uni<List<WorkspaceExport>> newest(String workspaceId, int limit) {
        return find("workspaceId = ?1 order by requestedAt desc, id desc", workspaceId)
                .page(0, limit)
                .list();
    }

    /** How many records of every type the workspace holds. */
    public Uni<Long> countRecords(String workspaceId) {
        String sql = "SELECT "
                + String.join(
                        " + ",
                        TABLES.stream()
                                .map(table ->
                                        "(SELECT count(*) FROM " + table.table() + " WHERE workspace_id = :workspace)")
                                .toList());
        return Panache.getSession()
                .chain(session -> session.<Object>createNativeQuery(sql)
                        .setParameter("workspace", workspaceId)
                        .getSingleResult())
                .map(count -> ((Number) count).longValue());
    }

    /** How many evidence objects the workspace holds. */
    public Uni<Long> countObjects(String workspaceId) {
        return Panache.getSession()
                .chain(session -> session.<Object>createNativeQuery(
                                "SELECT count(*) FROM evidence_file WHERE workspace_id = :workspace")
                        .setParameter("workspace", workspaceId)
                        .getSingleResult())
                .map(count -> ((Number) count).longValue());
    }

    /**
     * Stores how many records and objects attempt {@code attempt} has written so far and renews its lease; false
     * if that attempt no longer holds the export (it was taken over, or finished).
     */
    public Uni<Boolean> recordProgress(String workspaceId, UUID exportId, int attempt, long done, Duration lease) {
        return renew(workspaceId, exportId, attempt, done, lease);
    }

    /** Renews the lease of attempt {@code attempt}; false if that attempt no longer holds the export. */
    public Uni<Boolean> renewLease(String workspaceId, UUID exportId, int attempt, Duration lease) {
        return renew(workspaceId, exportId, attempt, null, lease);
    }

    private Uni<Boolean> renew(String workspaceId, UUID exportId, int attempt, Long done, Duration lease) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("UPDATE workspace_export"
                                + " SET records_done = COALESCE(CAST(:done AS bigint), records_done),"
                                + " lease_until = clock_timestamp() + make_interval(secs => :lease)"
                                + " WHERE workspace_id = :workspace AND id = :id AND attempt = :attempt"
                                + " AND state = 'running'")
                        .setParameter("done", done)
                        .setParameter("lease", (double) lease.toMillis() / 1000)
                        .setParameter("workspace", workspaceId)
                        .setParameter("id", exportId)
                        .setParameter("attempt", attempt)
                        .executeUpdate())
                .map(updated -> updated == 1);
    }

    /** A running export whose lease has run out, in any workspace: where to claim it. */
    public record Orphan(UUID exportId, String workspaceId) {}

    /** Up to {@code limit} running exports whose lease has run out, across workspaces (V6__export_lease.sql). */
    public Uni<List<Orphan>> orphans(int limit) {
        return Panache.getSession()
                .chain(session -> session.<Object[]>createNativeQuery(
                                "SELECT CAST(export_id AS text), export_workspace_id FROM orphaned_exports(:limit)")
                        .setParameter("limit", limit)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(row -> new Orphan(UUID.fromString((String) row[0]), (String) row[1]))
                        .toList());
    }

    /**
     * Claims an orphaned export for a new attempt: a compare-and-set on its expired lease, so that of several
     * instances only one wins. The new attempt starts from nothing, with an archive key of its own. Returns the
     * claimed export, or null if another instance was first or its owner renewed the lease meanwhile.
     */
    public Uni<WorkspaceExport> claim(String workspaceId, UUID exportId, Duration lease) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("UPDATE workspace_export"
                                + " SET attempt = attempt + 1, records_done = 0,"
                                + " lease_until = clock_timestamp() + make_interval(secs => :lease),"
                                + " object_key = 'workspaces/' || workspace_id || '/exports/' || id || '-'"
                                + " || (attempt + 1) || '.zip'"
                                + " WHERE workspace_id = :workspace AND id = :id AND state = 'running'"
                                + " AND lease_until < clock_timestamp()")
                        .setParameter("lease", (double) lease.toMillis() / 1000)
                        .setParameter("workspace", workspaceId)
                        .setParameter("id", exportId)
                        .executeUpdate())
                .chain(updated -> updated == 1
                        ? find(workspaceId, exportId)
                        : Uni.createFrom().nullItem());
    }

    /** Up to {@code limit} records of {@code table} after {@code afterId} (null: from the first), in id order. */
    public Uni<List<StoredRecord>> page(String workspaceId, RecordTable table, UUID afterId, int limit) {
        List<String> fieldColumns = new ArrayList<>(table.fields().keySet());
        StringBuilder sql = new StringBuilder("SELECT CAST(id AS text), kms_key_id, wrapped_dek, format_version");
        fieldColumns.forEach(column -> sql.append(", ").append(column));
        table.attributes()
                .forEach(column -> sql.append(", CAST(").append(column).append(" AS text)"));
        sql.append(" FROM ").append(table.table()).append(" WHERE workspace_id = :workspace");
        if (afterId != null) {
            sql.append(" AND id > CAST(:afterId AS uuid)");
        }
        sql.append(" ORDER BY id LIMIT :limit");
        return Panache.getSession()
                .chain(session -> {
                    var query = session.<Object[]>createNativeQuery(sql.toString())
                            .setParameter("workspace", workspaceId)
                            .setParameter("limit", limit);
                    if (afterId != null) {
                        query.setParameter("afterId", afterId.toString());
                    }
                    return query.getResultList();
                })
                .map(rows -> rows.stream()
                        .map(row -> {
                            Map<String, byte[]> fields = new LinkedHashMap<>();
                            for (int i = 0; i < fieldColumns.size(); i++) {
                                if (row[4 + i] != null) {
                                    fields.put(table.fields().get(fieldColumns.get(i)), (byte[]) row[4 + i]);
                                }
                            }
                            Map<String, String> attributes = new LinkedHashMap<>();
                            for (int i = 0; i < table.attributes().size(); i++) {
                                attributes.put(table.attributes().get(i), (String) row[4 + fieldColumns.size() + i]);
                            }
                            return new StoredRecord(
                                    UUID.fromString((String) row[0]),
                                    (String) row[1],
                                    (byte[]) row[2],
                                    ((Number) row[3]).intValue(),
                                    fields,
                                    attributes);
                        })
                        .toList());
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
