package dev.spalce.contracts.audit;

import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A page of audit-log-service's query API ({@code GET /internal/v1/workspaces/{workspace}/audit-events}), as it
 * writes it and the gateway reads it (a user's own sign-ins, {@code /api/v1/me/sign-ins}).
 *
 * @param items newest first
 * @param nextCursor where the next page starts; null after the last page
 */
public record AuditEventPage(List<Item> items, String nextCursor) {

    /**
     * One audit entry as the query API returns it, with its place in the chain.
     *
     * @param prevHash the previous entry's hash, hex
     * @param entryHash this entry's hash, hex
     */
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
}
