package dev.spalce.audit.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The seal of a deleted workspace's chain: its {@code workspace.deleted} entry is the last ({@code V2__audit_seal.sql}). */
@Entity
@Table(name = "audit_seal")
public class AuditSeal {

    @Id
    @Column(name = "workspace_id", updatable = false)
    public String workspaceId;

    @Column(nullable = false, updatable = false)
    public long seq;

    @Column(name = "sealed_at", nullable = false, updatable = false)
    public Instant sealedAt;
}
