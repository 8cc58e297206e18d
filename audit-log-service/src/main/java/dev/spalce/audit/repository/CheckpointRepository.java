package dev.spalce.audit.repository;

import dev.spalce.audit.model.AuditCheckpoint;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class CheckpointRepository implements PanacheRepositoryBase<AuditCheckpoint, AuditCheckpoint.Key> {

    /** A chain head that no checkpoint covers yet. */
    public record UncoveredHead(String workspaceId, long seq, byte[] entryHash) {}

    /** Every workspace whose last entry is later than its last checkpoint. */
    @SuppressWarnings("unchecked")
    public Uni<List<UncoveredHead>> uncoveredHeads() {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        SELECT e.workspace_id, e.seq, e.entry_hash
                        FROM (SELECT workspace_id, max(seq) AS seq FROM audit_entry GROUP BY workspace_id) head
                        JOIN audit_entry e ON e.workspace_id = head.workspace_id AND e.seq = head.seq
                        LEFT JOIN (SELECT workspace_id, max(seq) AS seq FROM audit_checkpoint GROUP BY workspace_id) signed
                               ON signed.workspace_id = head.workspace_id
                        WHERE signed.seq IS NULL OR signed.seq < head.seq
                        """, Object[].class).getResultList())
                .map(rows -> rows.stream()
                        .map(row -> new UncoveredHead((String) row[0], ((Number) row[1]).longValue(), (byte[]) row[2]))
                        .toList());
    }

    /** Stores the checkpoint unless another instance already signed the same head. */
    public Uni<Integer> insertIfAbsent(AuditCheckpoint checkpoint) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        INSERT INTO audit_checkpoint (workspace_id, seq, entry_hash, signed_at, key_id, public_key, signature)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (workspace_id, seq) DO NOTHING
                        """)
                        .setParameter(1, checkpoint.workspaceId)
                        .setParameter(2, checkpoint.seq)
                        .setParameter(3, checkpoint.entryHash)
                        .setParameter(4, checkpoint.signedAt)
                        .setParameter(5, checkpoint.keyId)
                        .setParameter(6, checkpoint.publicKey)
                        .setParameter(7, checkpoint.signature)
                        .executeUpdate());
    }

    /** The hash of the workspace's entry at {@code seq}, if there is one. */
    @SuppressWarnings("unchecked")
    public Uni<Optional<byte[]>> entryHashAt(String workspaceId, long seq) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT entry_hash FROM audit_entry WHERE workspace_id = ?1 AND seq = ?2", byte[].class)
                        .setParameter(1, workspaceId)
                        .setParameter(2, seq)
                        .getResultList())
                .map(rows -> rows.stream().findFirst());
    }

    /** The workspace's newest checkpoint in the table. */
    public Uni<Optional<AuditCheckpoint>> latest(String workspaceId) {
        return find("workspaceId", Sort.descending("seq"), workspaceId)
                .firstResult()
                .map(Optional::ofNullable);
    }

    /** The workspace's checkpoints between two positions, in order. */
    public Uni<List<AuditCheckpoint>> between(String workspaceId, long fromSeq, long toSeq) {
        return find("workspaceId = ?1 and seq >= ?2 and seq <= ?3", Sort.ascending("seq"), workspaceId, fromSeq, toSeq)
                .list();
    }
}
