package dev.spalce.cryptoservice.tenantkey.model;

import dev.spalce.contracts.keys.KeyVersionState;
import dev.spalce.crypto.KmsKeyId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One version of a workspace's CMK; see {@code V1__tenant_keys.sql}. Only its state ever changes. */
@Entity
@Table(name = "tenant_key_version")
public class TenantKeyVersion {

    @Id
    @Column(name = "kms_key_id", updatable = false)
    public String kmsKeyId;

    @Column(name = "workspace_id", nullable = false, updatable = false)
    public String workspaceId;

    /** The key this is a version of. */
    @Column(name = "key_id", nullable = false, updatable = false)
    public UUID keyId;

    @Column(nullable = false, updatable = false)
    public int version;

    @Column(nullable = false)
    public KeyVersionState state;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "state_changed_at", nullable = false)
    public Instant stateChangedAt;

    /** A new, enabled version. */
    public static TenantKeyVersion enabled(TenantKey key, KmsKeyId id, Instant now) {
        TenantKeyVersion version = new TenantKeyVersion();
        version.kmsKeyId = id.toString();
        version.workspaceId = key.workspaceId;
        version.keyId = key.keyId;
        version.version = id.version();
        version.state = KeyVersionState.ENABLED;
        version.createdAt = now;
        version.stateChangedAt = now;
        return version;
    }
}
