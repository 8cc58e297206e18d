package dev.spalce.evidence.integration.model;

import dev.spalce.evidence.datakey.model.EnvelopedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A connected integration: its credentials one ciphertext (format 0x01, field {@code credentials}) under the row's
 * DEK, and a masked copy for display. See {@code V1__evidence.sql}.
 */
@Entity
@Table(name = "integration")
public class Integration extends EnvelopedRecord {

    /** {@code aws}, {@code oauth} or {@code api-token}. */
    @Column(nullable = false, updatable = false)
    public String kind;

    @Column(nullable = false, updatable = false)
    public String name;

    @Column(name = "credentials_ct", nullable = false)
    public byte[] credentialsCt;

    /** JSON object: each credential's name and its masked value. */
    @Column(name = "credentials_masked", nullable = false, updatable = false)
    public String credentialsMasked;

    @Column(name = "connected_by", nullable = false, updatable = false)
    public String connectedBy;

    @Column(name = "connected_at", nullable = false, updatable = false)
    public Instant connectedAt;
}
