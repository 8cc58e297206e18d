package dev.spalce.evidence.common.service;

import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.evidence.common.repository.WorkspaceScope;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.audit.AuditTrail;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Fetches through a signed URL (an evidence file's content, an export's archive), audited either way: a refused URL
 * is an attempt to read, recorded with the caller's address and why it was refused (outcome denied), and a served
 * one is recorded before a byte is sent.
 */
@ApplicationScoped
public class SignedFetches {

    /** The audit actions of one kind of fetch. */
    public record Actions(String fetched, String refused) {}

    private final WorkspaceScope scope;
    private final AuditTrail audit;

    public SignedFetches(WorkspaceScope scope, AuditTrail audit) {
        this.scope = scope;
        this.audit = audit;
    }

    /** Runs {@code verify} (which throws the refusal), and audits its outcome. Blocking. */
    public void check(String workspaceId, Target target, Actor actor, Actions actions, Runnable verify) {
        try {
            verify.run();
        } catch (ProblemException refused) {
            record(
                    workspaceId,
                    target,
                    actor,
                    actions.refused(),
                    Outcome.DENIED,
                    Map.of("reason", refused.getMessage()));
            throw refused;
        }
        record(workspaceId, target, actor, actions.fetched(), Outcome.SUCCESS, Map.of());
    }

    private void record(
            String workspaceId,
            Target target,
            Actor actor,
            String action,
            Outcome outcome,
            Map<String, String> details) {
        await(() -> scope.transaction(
                workspaceId, () -> audit.record(workspaceId, action, actor, target, outcome, details)));
    }

    /** Waits for {@code work} on a worker thread (never the event loop), on a Vert.x context of its own. */
    public static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
