package dev.spalce.audit.model;

import dev.spalce.auditchain.AuditRecord;
import dev.spalce.auditchain.ChainEntry;
import dev.spalce.auditchain.ChainHash;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One link of a workspace's audit chain. See {@code V1__audit_log.sql}; rows are never updated. */
@Entity
@Table(name = "audit_entry")
public class AuditEntry {

    // The table's primary key is (workspace_id, seq); the event id is unique too, and simpler to map.
    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public long seq;

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

    @Column(name = "prev_hash", nullable = false)
    public byte[] prevHash;

    @Column(name = "entry_hash", nullable = false)
    public byte[] entryHash;

    public static AuditEntry of(ChainEntry link) {
        AuditRecord r = link.record();
        AuditEntry entry = new AuditEntry();
        entry.eventId = r.eventId();
        entry.workspaceId = r.workspaceId();
        entry.seq = r.seq();
        entry.occurredAt = r.occurredAt();
        entry.source = r.source();
        entry.action = r.action();
        entry.actorType = r.actorType();
        entry.actorSubject = r.actorSubject();
        entry.targetType = r.targetType();
        entry.targetId = r.targetId();
        entry.outcome = r.outcome();
        entry.requestId = r.requestId();
        entry.sourceAddress = r.sourceAddress();
        entry.details = r.details();
        entry.prevHash = link.prevHash().bytes();
        entry.entryHash = link.entryHash().bytes();
        return entry;
    }

    public ChainEntry toChainEntry() {
        AuditRecord record = new AuditRecord(
                workspaceId,
                seq,
                eventId,
                occurredAt,
                source,
                action,
                actorType,
                actorSubject,
                targetType,
                targetId,
                outcome,
                requestId,
                sourceAddress,
                details);
        return new ChainEntry(record, ChainHash.of(prevHash), ChainHash.of(entryHash));
    }
}
