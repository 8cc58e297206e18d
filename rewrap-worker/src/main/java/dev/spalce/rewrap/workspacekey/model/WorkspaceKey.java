package dev.spalce.rewrap.workspacekey.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The latest CMK version of a workspace, as its key events said; see {@code V1__rewrap_jobs.sql}. */
@Entity
@Table(name = "workspace_key")
public class WorkspaceKey {

    @Id
    @Column(name = "workspace_id", updatable = false)
    public String workspaceId;

    @Column(name = "current_kms_key_id", nullable = false)
    public String currentKmsKeyId;

    @Column(name = "current_version", nullable = false)
    public int currentVersion;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
