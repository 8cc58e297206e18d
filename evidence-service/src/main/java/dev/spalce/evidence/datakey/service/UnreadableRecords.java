package dev.spalce.evidence.datakey.service;

import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.evidence.common.repository.WorkspaceScope;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.audit.AuditTrail;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Records that could not be read because of their own stored bytes: a wrapped DEK that does not authenticate, a
 * key version refused, a ciphertext that fails authentication. Each one is audited ({@code record.unreadable},
 * outcome {@code error}, the problem's type in the details) and counted in {@code spalce.records.unreadable}
 * (tagged record type and problem), because it means stored data was altered, moved or orphaned, which an
 * operator must see even when the page around it was served.
 */
@ApplicationScoped
public class UnreadableRecords {

    private static final Logger LOG = Logger.getLogger(UnreadableRecords.class);

    /** The problems that belong to one record, as opposed to an outage that no record can help. */
    private static final Set<String> RECORD_PROBLEMS =
            Set.of("bad-wrapped-key", "data-key-refused", "integrity-failure");

    private final AuditTrail audit;
    private final WorkspaceScope scope;
    private final MeterRegistry metrics;

    public UnreadableRecords(AuditTrail audit, WorkspaceScope scope, MeterRegistry metrics) {
        this.audit = audit;
        this.scope = scope;
        this.metrics = metrics;
    }

    /** Whether {@code failure} is one record's own problem (and so to be reported), not an outage. */
    public static boolean isRecordProblem(Throwable failure) {
        return failure instanceof ProblemException problem && RECORD_PROBLEMS.contains(slug(problem));
    }

    /** Audits and counts one unreadable record, inside the caller's transaction. */
    public Uni<Void> report(
            String workspaceId, Actor actor, String recordType, String recordId, ProblemException problem) {
        String kind = slug(problem);
        LOG.warnf("%s %s of workspace %s is unreadable: %s", recordType, recordId, workspaceId, kind);
        Counter.builder("spalce.records.unreadable")
                .description("Stored records that could not be read because of their own stored bytes")
                .tag("record-type", recordType)
                .tag("problem", kind)
                .register(metrics)
                .increment();
        return audit.record(
                workspaceId,
                AuditAction.RECORD_UNREADABLE,
                actor,
                new Target(recordType, recordId),
                Outcome.ERROR,
                Map.of("problem", kind));
    }

    /** Reports, one after the other in the caller's transaction, each of {@code records} that has a problem. */
    public <T> Uni<Void> reportEach(
            String workspaceId,
            Actor actor,
            String recordType,
            List<T> records,
            Function<T, String> recordId,
            Function<T, ProblemException> problem) {
        Uni<Void> reported = Uni.createFrom().voidItem();
        for (T record : records) {
            if (problem.apply(record) != null) {
                reported = reported.chain(
                        () -> report(workspaceId, actor, recordType, recordId.apply(record), problem.apply(record)));
            }
        }
        return reported;
    }

    /**
     * {@code read}, and if it fails with one record's own problem, that record reported in a transaction of its own
     * (the read's own rolled back with the failure) before the failure goes on to the caller.
     */
    public <T> Uni<T> reportingFailure(
            String workspaceId, Actor actor, String recordType, String recordId, Uni<T> read) {
        return read.onFailure(UnreadableRecords::isRecordProblem)
                .call(failure -> reportAlone(workspaceId, actor, recordType, recordId, (ProblemException) failure));
    }

    /** Reports one unreadable record in a transaction of its own, for a read that has none (a streamed file). */
    public Uni<Void> reportAlone(
            String workspaceId, Actor actor, String recordType, String recordId, ProblemException problem) {
        return scope.transaction(workspaceId, () -> report(workspaceId, actor, recordType, recordId, problem));
    }

    private static String slug(ProblemException problem) {
        String type = problem.type().toString();
        return type.startsWith(ProblemException.TYPE_BASE) ? type.substring(ProblemException.TYPE_BASE.length()) : type;
    }
}
