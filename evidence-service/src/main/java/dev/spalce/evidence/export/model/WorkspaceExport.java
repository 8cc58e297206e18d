package dev.spalce.evidence.export.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One workspace export and its progress; its archive is the object {@code objectKey}. See {@code V4__workspace_export.sql}. */
@Entity
@Table(name = "workspace_export")
public class WorkspaceExport {

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    @Id
    public UUID id;

    @Column(name = "workspace_id", nullable = false, updatable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String state;

    @Column(name = "requested_by", nullable = false, updatable = false)
    public String requestedBy;

    @Column(name = "requested_at", nullable = false, updatable = false)
    public Instant requestedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Records and evidence objects to write, counted when the export starts. */
    @Column(name = "records_total", nullable = false)
    public long recordsTotal;

    @Column(name = "records_done", nullable = false)
    public long recordsDone;

    /** The archive of the current attempt; each attempt writes its own (V6__export_lease.sql). */
    @Column(name = "object_key", nullable = false)
    public String objectKey;

    /** Until when the instance writing it holds it; after that another instance may take it over. */
    @Column(name = "lease_until")
    public Instant leaseUntil;

    /** Which attempt at writing the archive this is: 1, then one more for each takeover. */
    @Column(nullable = false)
    public int attempt;

    @Column(name = "archive_bytes")
    public Long archiveBytes;

    /** Hex SHA-256 of the whole archive. */
    @Column(name = "archive_sha256")
    public String archiveSha256;

    @Column
    public String error;
}
