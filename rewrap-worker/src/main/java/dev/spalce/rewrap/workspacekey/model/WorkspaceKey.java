package dev.spalce.rewrap.workspacekey.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The latest CMK version of a workspace, as its key events said; see {@code V1__rewrap_jobs.sql} and
 * {@code V3__key_changes.sql}.
 */
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

    /**
     * The provider of the key the workspace changed from, while data keys are still wrapped under it (a job then
     * unwraps there and wraps at the new key's provider); null otherwise.
     */
    @Column(name = "previous_provider")
    public String previousProvider;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
