package dev.spalce.gateway.workspace.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "workspace")
public class Workspace {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    /** Set when the workspace is created (not left to the column's default, so that the answer to a create has it). */
    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;
}
