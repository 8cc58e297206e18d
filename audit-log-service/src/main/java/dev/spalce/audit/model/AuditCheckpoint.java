package dev.spalce.audit.model;

import dev.spalce.auditchain.ChainHash;
import dev.spalce.auditchain.Checkpoint;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A signed chain head. See {@code V1__audit_log.sql}; rows are never updated. */
@Entity
@Table(name = "audit_checkpoint")
@IdClass(AuditCheckpoint.Key.class)
public class AuditCheckpoint {

    /** The composite primary key. */
    public static class Key implements Serializable {
        public String workspaceId;
        public long seq;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && seq == that.seq && Objects.equals(workspaceId, that.workspaceId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(workspaceId, seq);
        }
    }

    @Id
    @Column(name = "workspace_id")
    public String workspaceId;

    @Id
    public long seq;

    @Column(name = "entry_hash", nullable = false)
    public byte[] entryHash;

    @Column(name = "signed_at", nullable = false)
    public Instant signedAt;

    @Column(name = "key_id", nullable = false)
    public String keyId;

    @Column(name = "public_key", nullable = false)
    public byte[] publicKey;

    @Column(nullable = false)
    public byte[] signature;

    public static AuditCheckpoint of(Checkpoint checkpoint) {
        AuditCheckpoint row = new AuditCheckpoint();
        row.workspaceId = checkpoint.workspaceId();
        row.seq = checkpoint.seq();
        row.entryHash = checkpoint.entryHash().bytes();
        row.signedAt = checkpoint.signedAt();
        row.keyId = checkpoint.keyId();
        row.publicKey = checkpoint.publicKey();
        row.signature = checkpoint.signature();
        return row;
    }

    public Checkpoint toCheckpoint() {
        return new Checkpoint(workspaceId, seq, ChainHash.of(entryHash), signedAt, publicKey, signature);
    }
}
