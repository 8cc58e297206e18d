package dev.spalce.audit.api;

import dev.spalce.audit.model.AuditEntry;
import dev.spalce.audit.service.AuditQueryService;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A page of the query API. */
public record AuditEventPage(List<Item> items, String nextCursor) {

    /** One audit entry as the query API returns it, with its place in the chain. */
    public record Item(
            String eventId,
            String workspaceId,
            long seq,
            Instant occurredAt,
            String source,
            String action,
            Actor actor,
            Target target,
            String outcome,
            String requestId,
            String sourceAddress,
            Map<String, String> details,
            String prevHash,
            String entryHash) {}

    static AuditEventPage of(AuditQueryService.Page page) {
        return new AuditEventPage(
                page.items().stream().map(AuditEventPage::item).toList(), page.nextCursor());
    }

    private static Item item(AuditEntry e) {
        HexFormat hex = HexFormat.of();
        return new Item(
                e.eventId,
                e.workspaceId,
                e.seq,
                e.occurredAt,
                e.source,
                e.action,
                new Actor(e.actorType, e.actorSubject),
                new Target(e.targetType, e.targetId),
                e.outcome,
                e.requestId,
                e.sourceAddress,
                e.details,
                hex.formatHex(e.prevHash),
                hex.formatHex(e.entryHash));
    }
}
