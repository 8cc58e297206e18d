package dev.spalce.audit.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One stored audit event. See {@code db/migration/V1__audit_event.sql}; rows are never updated. */
@Entity
@Table(name = "audit_event")
public class AuditEntry {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "received_at", insertable = false, updatable = false)
    public Instant receivedAt;

    @Column(nullable = false)
    public String source;

    @Column(nullable = false)
    public String action;

    @Column(name = "actor_type", nullable = false)
    public String actorType;

    @Column(name = "actor_subject", nullable = false)
    public String actorSubject;

    @Column(name = "target_type", nullable = false)
    public String targetType;

    @Column(name = "target_id", nullable = false)
    public String targetId;

    @Column(nullable = false)
    public String outcome;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "source_address")
    public String sourceAddress;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> details;
}
