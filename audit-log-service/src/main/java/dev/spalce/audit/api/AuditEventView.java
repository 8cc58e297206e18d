package dev.spalce.audit.api;

import dev.spalce.audit.model.AuditEntry;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import java.time.Instant;
import java.util.Map;

/** An audit event as the query API returns it. */
public record AuditEventView(String eventId, String workspaceId, Instant occurredAt, String source, String action,
                             Actor actor, Target target, String outcome, String requestId, String sourceAddress,
                             Map<String, String> details) {

    public static AuditEventView of(AuditEntry entry) {
        return new AuditEventView(entry.eventId, entry.workspaceId, entry.occurredAt, entry.source, entry.action,
                new Actor(entry.actorType, entry.actorSubject), new Target(entry.targetType, entry.targetId),
                entry.outcome, entry.requestId, entry.sourceAddress, entry.details);
    }
}
