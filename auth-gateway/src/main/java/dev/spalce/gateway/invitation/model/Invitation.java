package dev.spalce.gateway.invitation.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An auditor invitation. The token itself is never stored: only {@link #tokenDigest}. */
@Entity
@Table(name = "invitation")
public class Invitation {

    @Id
    public UUID id;

    @Column(name = "workspace_id", nullable = false)
    public UUID workspaceId;

    @Column(nullable = false)
    public String email;

    @Column(name = "token_digest", nullable = false)
    public String tokenDigest;

    @Column(name = "access_expires_at", nullable = false)
    public Instant accessExpiresAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "accepted_at")
    public Instant acceptedAt;

    @Column(name = "accepted_by")
    public String acceptedBy;
}
