package dev.spalce.audit.api;

import dev.spalce.audit.model.AuditEntry;
import dev.spalce.audit.service.AuditQueryService;
import dev.spalce.audit.signing.SigningKeys;
import dev.spalce.contracts.audit.AuditEventPage;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.SigningKeysView;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** The query API's bodies (the contract's types) from what the service holds. */
final class AuditBodies {

    private AuditBodies() {}

    static AuditEventPage page(AuditQueryService.Page page) {
        return new AuditEventPage(page.items().stream().map(AuditBodies::item).toList(), page.nextCursor());
    }

    private static AuditEventPage.Item item(AuditEntry e) {
        HexFormat hex = HexFormat.of();
        return new AuditEventPage.Item(
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

    static SigningKeysView signingKeys(List<SigningKeys.PublishedKey> published) {
        return new SigningKeysView(published.stream()
                .map(key -> new SigningKeysView.Key(
                        "Ed25519", key.keyId(), Base64.getEncoder().encodeToString(key.publicKey()), key.current()))
                .toList());
    }
}
