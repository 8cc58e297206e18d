package dev.spalce.gateway.workspace.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A workspace's deletion, from the Owner's request to the end of the purge; see {@code V4__workspace_deletion.sql}. */
@Entity
@Table(name = "workspace_deletion")
public class WorkspaceDeletion {

    public static final String PENDING = "pending";
    public static final String PURGING = "purging";
    public static final String PURGED = "purged";

    @Id
    @Column(name = "workspace_id")
    public UUID workspaceId;

    @Column(name = "requested_by", nullable = false, updatable = false)
    public String requestedBy;

    @Column(name = "requested_at", nullable = false, updatable = false)
    public Instant requestedAt;

    @Column(name = "purge_after", nullable = false, updatable = false)
    public Instant purgeAfter;

    /** {@link #PENDING} (grace period), {@link #PURGING}, {@link #PURGED}. */
    @Column(nullable = false)
    public String state;

    @Column(name = "keys_shredded")
    public String keysShredded;

    @Column(name = "data_purged")
    public String dataPurged;

    @Column(name = "audit_seq")
    public Long auditSeq;

    @Column(name = "former_owners")
    public String formerOwners;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "purged_at")
    public Instant purgedAt;
}
