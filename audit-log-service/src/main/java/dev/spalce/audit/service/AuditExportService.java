package dev.spalce.audit.service;

import dev.spalce.audit.anchor.CheckpointAnchor;
import dev.spalce.audit.config.AuditConfig;
import dev.spalce.audit.model.AuditCheckpoint;
import dev.spalce.audit.model.AuditEntry;
import dev.spalce.audit.repository.AuditEntryRepository;
import dev.spalce.audit.repository.CheckpointRepository;
import dev.spalce.audit.signing.SigningKeys;
import dev.spalce.auditchain.AuditExport;
import dev.spalce.auditchain.ChainEntry;
import dev.spalce.auditchain.ChainVerifier;
import dev.spalce.auditchain.Checkpoint;
import dev.spalce.auditchain.VerificationReport;
import dev.spalce.kit.api.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Streams a workspace's chain, page by page, in bounded memory: as JSON Lines (the verifiable export format of
 * spalce-audit-chain) or CSV. Checkpoints come right after the entries they cover; a checkpoint whose entry is
 * gone still comes, at the end, so that the loss shows. The stored chain is verified by feeding the same stream
 * to the verifier, pinned to the service's configured keys and checked against the anchored checkpoints.
 */
@ApplicationScoped
public class AuditExportService {

    private static final int PAGE = 1000;

    private final AuditEntryRepository entries;
    private final CheckpointRepository checkpoints;
    private final SigningKeys keys;
    private final CheckpointAnchor anchor;
    private final boolean anchored;

    public AuditExportService(
            AuditEntryRepository entries,
            CheckpointRepository checkpoints,
            SigningKeys keys,
            CheckpointAnchor anchor,
            AuditConfig config) {
        this.entries = entries;
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.anchor = anchor;
        this.anchored = config.anchor().enabled();
    }

    /** Each line ends with a newline. */
    public Multi<String> jsonLines(String workspaceId, long fromSeq, long toSeq) {
        Multi<String> header = Multi.createFrom().item(AuditExport.headerLine(workspaceId, Instant.now()) + "\n");
        return Multi.createBy()
                .concatenating()
                .streams(
                        header,
                        links(workspaceId, fromSeq, toSeq)
                                .map(link -> link instanceof ChainEntry entry
                                        ? AuditExport.entryLine(entry) + "\n"
                                        : AuditExport.checkpointLine((Checkpoint) link) + "\n"));
    }

    public Multi<String> csv(String workspaceId, long fromSeq, long toSeq) {
        return Multi.createBy()
                .concatenating()
                .streams(
                        Multi.createFrom().item(CsvExport.HEADER),
                        links(workspaceId, fromSeq, toSeq)
                                .map(link -> link instanceof ChainEntry entry
                                        ? CsvExport.entry(entry)
                                        : CsvExport.checkpoint((Checkpoint) link)));
    }

    /**
     * Verifies the stored chain from its first entry, with the same verifier an auditor runs offline: only
     * checkpoints signed by the service's configured keys count (never a key read from the table), and every
     * anchored checkpoint must match the chain.
     *
     * @param maxCheckpointAge when not null, the newest checkpoint must be younger
     */
    public Uni<VerificationReport> verifyStored(String workspaceId, Duration maxCheckpointAge) {
        Context context = Vertx.currentContext();
        Executor onContext = task -> context.runOnContext(ignored -> task.run());
        Uni<List<Checkpoint>> anchors = anchored
                ? Uni.createFrom()
                        .item(() -> anchor.all(workspaceId))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .emitOn(onContext)
                        .onFailure()
                        .transform(failure -> ProblemException.unavailable("audit anchor store", failure))
                : Uni.createFrom().item(List.of());
        return anchors.chain(anchoredCheckpoints -> {
            ChainVerifier verifier =
                    new ChainVerifier(keys.pinned(), anchoredCheckpoints, maxCheckpointAge, Clock.systemUTC());
            return jsonLines(workspaceId, 1, Long.MAX_VALUE)
                    .collect()
                    .in(verifier::start, (session, line) -> session.accept(line.stripTrailing()))
                    .map(ChainVerifier.Session::finish);
        });
    }

    /** Entries ({@link ChainEntry}) and checkpoints ({@link Checkpoint}) in export order. */
    private Multi<Object> links(String workspaceId, long fromSeq, long toSeq) {
        Uni<Map<Long, Checkpoint>> signed = Panache.withSession(() -> checkpoints.between(workspaceId, fromSeq, toSeq))
                .map(rows -> rows.stream()
                        .map(AuditCheckpoint::toCheckpoint)
                        .collect(Collectors.toMap(Checkpoint::seq, Function.identity(), (a, b) -> a, TreeMap::new)));
        return signed.onItem()
                .transformToMulti(checkpointsBySeq -> Multi.createBy()
                        .concatenating()
                        .streams(
                                pages(workspaceId, fromSeq, toSeq).onItem().transformToIterable(page -> {
                                    List<Object> links = new ArrayList<>(page.size() + 1);
                                    for (AuditEntry entry : page) {
                                        links.add(entry.toChainEntry());
                                        Checkpoint covering = checkpointsBySeq.remove(entry.seq);
                                        if (covering != null) {
                                            links.add(covering);
                                        }
                                    }
                                    return links;
                                }),
                                // Checkpoints whose entries are gone: the verifier names what they cover and the export
                                // lacks.
                                Multi.createFrom()
                                        .deferred(() ->
                                                Multi.createFrom().iterable(List.copyOf(checkpointsBySeq.values())))));
    }

    private Multi<List<AuditEntry>> pages(String workspaceId, long fromSeq, long toSeq) {
        return Multi.createBy()
                .repeating()
                .uni(
                        () -> new long[] {fromSeq},
                        next -> Panache.withSession(() -> entries.range(workspaceId, next[0], toSeq, PAGE))
                                .invoke(page -> {
                                    if (!page.isEmpty()) {
                                        next[0] = page.get(page.size() - 1).seq + 1;
                                    }
                                }))
                .whilst(page -> page.size() == PAGE);
    }
}
