package dev.spalce.cryptoservice.tenantkey.model;

import dev.spalce.contracts.keys.KeyState;
import dev.spalce.crypto.KmsKeyId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One of a workspace's customer master keys; see {@code V1__tenant_keys.sql} and {@code V3__key_changes.sql}. A
 * workspace has exactly one current key, and the keys it changed from (previous, then detached). The identity
 * columns are not updatable, matching the column grants of the service role.
 */
@Entity
@Table(name = "tenant_key")
public class TenantKey {

    @Id
    @Column(name = "key_id", updatable = false)
    public UUID keyId;

    @Column(name = "workspace_id", nullable = false, updatable = false)
    public String workspaceId;

    @Column(nullable = false)
    public KeyState state;

    /** When a change of key made it previous; null while current. */
    @Column(name = "replaced_at")
    public Instant replacedAt;

    /** When it was detached; null until then. */
    @Column(name = "detached_at")
    public Instant detachedAt;

    /** When its workspace's deletion shredded it (destroyed or detached); null until then, and final once set. */
    @Column(name = "shredded_at")
    public Instant shreddedAt;

    @Column(nullable = false, updatable = false)
    public String provider;

    @Column(name = "key_reference", nullable = false, updatable = false)
    public String keyReference;

    /**
     * The provider's identity of the key (its canonical reference, or less: an AWS multi-Region key without its
     * Region), unique per provider: one key serves one workspace.
     */
    @Column(name = "key_identity", nullable = false, updatable = false)
    public String keyIdentity;

    @Column(name = "key_created", nullable = false, updatable = false)
    public boolean keyCreated;

    @Column(name = "current_version", nullable = false)
    public int currentVersion;

    @Column(name = "rotation_period_days", nullable = false)
    public int rotationPeriodDays;

    @Column(name = "last_rotated_at", nullable = false)
    public Instant lastRotatedAt;

    @Column(name = "next_rotation_at", nullable = false)
    public Instant nextRotationAt;

    @Column(name = "rotation_failures", nullable = false)
    public int rotationFailures;

    @Column(name = "last_rotation_error")
    public String lastRotationError;

    @Column(name = "registered_by", nullable = false, updatable = false)
    public String registeredBy;

    @Column(name = "registered_at", nullable = false, updatable = false)
    public Instant registeredAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The id of the current version, under which new DEKs are wrapped. */
    public KmsKeyId currentKmsKeyId() {
        return KmsKeyId.of(provider, keyReference, currentVersion);
    }

    /** Whether {@code id} names a version of this key (any version, known or not). */
    public boolean owns(KmsKeyId id) {
        return id.provider().equals(provider) && id.reference().equals(keyReference);
    }

    /** Makes {@code version} current as of {@code now}, and schedules the next rotation one period later. */
    public void makeCurrent(int version, Instant now) {
        currentVersion = version;
        lastRotatedAt = now;
        nextRotationAt = now.plus(Duration.ofDays(rotationPeriodDays));
        rotationFailures = 0;
        lastRotationError = null;
        updatedAt = now;
    }

    /** Sets the rotation period; the next rotation falls one new period after the last one (possibly now). */
    public void changeRotationPeriod(int days, Instant now) {
        rotationPeriodDays = days;
        nextRotationAt = lastRotatedAt.plus(Duration.ofDays(days));
        updatedAt = now;
    }
}
