package dev.spalce.audit.service;

import dev.spalce.audit.model.AuditEntry;
import dev.spalce.audit.model.AuditSeal;
import dev.spalce.audit.repository.AuditEntryRepository;
import dev.spalce.audit.repository.SealRepository;
import dev.spalce.auditchain.AuditRecord;
import dev.spalce.auditchain.ChainEntry;
import dev.spalce.auditchain.ChainHash;
import dev.spalce.auditchain.HashChain;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.contracts.deletion.WorkspaceShredding.SealResult;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/**
 * Seals a deleted workspace's chain (docs/deletion.md): appends its final {@code workspace.deleted} entry, naming
 * who asked for the deletion and what was destroyed, detached and deleted, and records the seal in the same
 * transaction, under the chain's lock, so no event can be appended between the two. The next checkpoint run signs
 * the new head like any other, and anchors it. Idempotent: a repeated call answers the seal already made.
 */
@ApplicationScoped
public class AuditSealService {

    /** The source of the entries this service writes itself. */
    static final String SOURCE = "/spalce/audit-log-service";

    private final AuditEntryRepository entries;
    private final SealRepository seals;

    public AuditSealService(AuditEntryRepository entries, SealRepository seals) {
        this.entries = entries;
        this.seals = seals;
    }

    /**
     * @param actorType the requester's actor type ({@code user})
     * @param actorSubject the requester
     */
    public Uni<SealResult> seal(
            String workspaceId, String actorType, String actorSubject, Map<String, String> details) {
        return Panache.withTransaction(() -> entries.lockChain(workspaceId)
                .chain(() -> seals.findById(workspaceId))
                .chain(existing -> existing != null
                        ? entryAt(workspaceId, existing.seq)
                        : entries.head(workspaceId).chain(head -> {
                            ChainHash previous =
                                    head.map(h -> ChainHash.of(h.entryHash)).orElse(ChainHash.GENESIS);
                            long seq = head.map(h -> h.seq).orElse(0L) + 1;
                            Instant now = Instant.now();
                            ChainEntry link = HashChain.append(
                                    previous,
                                    new AuditRecord(
                                            workspaceId,
                                            seq,
                                            // One final entry per workspace, ever: a second one is a unique violation.
                                            "workspace-deleted-" + workspaceId,
                                            now,
                                            SOURCE,
                                            AuditAction.WORKSPACE_DELETED,
                                            actorType,
                                            actorSubject,
                                            "workspace",
                                            workspaceId,
                                            Outcome.SUCCESS.wireName(),
                                            null,
                                            null,
                                            details));
                            AuditSeal seal = new AuditSeal();
                            seal.workspaceId = workspaceId;
                            seal.seq = seq;
                            seal.sealedAt = now;
                            return entries.persist(AuditEntry.of(link))
                                    .chain(() -> seals.persist(seal))
                                    .replaceWith(
                                            new SealResult(seq, link.entryHash().hex()));
                        })));
    }

    private Uni<SealResult> entryAt(String workspaceId, long seq) {
        return entries.find("workspaceId = ?1 and seq = ?2", workspaceId, seq)
                .firstResult()
                .map(entry -> new SealResult(seq, ChainHash.of(entry.entryHash).hex()));
    }
}
