package dev.spalce.gateway.workspace.model;

import dev.spalce.contracts.access.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A user's role in a workspace. */
@Entity
@Table(name = "membership")
@IdClass(Membership.Key.class)
public class Membership {

    /** The composite primary key. */
    public static class Key implements Serializable {
        public UUID workspaceId;
        public String subject;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that
                    && Objects.equals(workspaceId, that.workspaceId)
                    && Objects.equals(subject, that.subject);
        }

        @Override
        public int hashCode() {
            return Objects.hash(workspaceId, subject);
        }
    }

    @Id
    @Column(name = "workspace_id")
    public UUID workspaceId;

    @Id
    public String subject;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Role role;

    /** When an auditor's access ends; null for members without an end date. */
    @Column(name = "access_expires_at")
    public Instant accessExpiresAt;

    @Column(name = "added_by", nullable = false)
    public String addedBy;

    /** Set when the membership is created (not left to the column's default, so that the answer to a PUT has it). */
    @Column(name = "added_at", nullable = false, updatable = false)
    public Instant addedAt;

    public boolean activeAt(Instant now) {
        return accessExpiresAt == null || now.isBefore(accessExpiresAt);
    }
}
