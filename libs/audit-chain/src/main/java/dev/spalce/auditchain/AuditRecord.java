package dev.spalce.auditchain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The content of one audit log entry that the hash chain commits to: everything an auditor relies on, in the
 * workspace's order ({@code seq}, from 1). Times are kept to the microsecond, the precision PostgreSQL stores.
 *
 * @param workspaceId the workspace whose chain this entry belongs to
 * @param seq the entry's position in that chain, from 1, without gaps
 * @param eventId the CloudEvents id of the event
 * @param occurredAt when the action happened, at the producing service
 * @param source the producing service, e.g. {@code /spalce/auth-gateway}
 * @param action e.g. {@code evidence.uploaded}
 * @param actorType {@code user}, {@code service} or {@code system}
 * @param actorSubject who acted
 * @param targetType the kind of object acted on
 * @param targetId which object
 * @param outcome {@code success}, {@code denied} or {@code error}
 * @param requestId the request id, or null
 * @param sourceAddress the client address, or null
 * @param details non-secret facts about the action, sorted by key
 */
public record AuditRecord(
        String workspaceId,
        long seq,
        String eventId,
        Instant occurredAt,
        String source,
        String action,
        String actorType,
        String actorSubject,
        String targetType,
        String targetId,
        String outcome,
        String requestId,
        String sourceAddress,
        Map<String, String> details) {

    public AuditRecord {
        Objects.requireNonNull(workspaceId, "workspaceId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1");
        }
        Objects.requireNonNull(eventId, "eventId");
        occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actorType, "actorType");
        Objects.requireNonNull(actorSubject, "actorSubject");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(outcome, "outcome");
        details = details == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(details));
    }
}
