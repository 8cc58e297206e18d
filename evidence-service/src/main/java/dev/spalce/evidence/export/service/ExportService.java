package dev.spalce.evidence.export.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.evidence.common.api.Actors;
import dev.spalce.evidence.common.repository.WorkspaceScope;
import dev.spalce.evidence.common.service.SignedFetches;
import dev.spalce.evidence.export.client.AuditLogExports;
import dev.spalce.evidence.export.config.ExportConfig;
import dev.spalce.evidence.export.model.WorkspaceExport;
import dev.spalce.evidence.export.repository.ExportRepository;
import dev.spalce.evidence.export.repository.ExportRepository.RecordTable;
import dev.spalce.evidence.export.repository.ExportRepository.StoredRecord;
import dev.spalce.evidence.file.service.BlobStore;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.audit.AuditTrail;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Workspace exports (docs/export.md): an Owner asks for one, a background thread writes the archive — every record
 * as stored (ciphertexts, wrapped DEK, key version, ids and type), every evidence object as stored, the audit log's
 * verifiable export, {@code format.md}, and a manifest of every entry's SHA-256 signed by the export signing key —
 * as one ZIP streamed into the object store, a page of records or a small copy buffer at a time. Nothing is decrypted:
 * the archive holds exactly what Spalce holds, and only the customer's KMS opens it.
 */
@ApplicationScoped
public class ExportService {

    private static final Logger LOG = Logger.getLogger(ExportService.class);

    /** Orphaned exports claimed per sweep, per instance: each is then queued behind this instance's writer. */
    private static final int TAKEOVERS_PER_SWEEP = 4;

    /** The name the archive's manifest and its signature have; every other entry is listed in the manifest. */
    public static final String MANIFEST = "manifest.json";

    public static final String SIGNATURE = "manifest.sig";

    /** One entry of the archive, as the manifest lists it. */
    public record ArchiveEntry(String name, long bytes, String sha256) {}

    private final ExportRepository exports;
    private final WorkspaceScope scope;
    private final BlobStore blobs;
    private final AuditTrail audit;
    private final ExportSigner signer;
    private final AuditLogExports auditLog;
    private final ExportConfig config;
    private final ObjectMapper json;
    /** Who takes over an export whose instance stopped: this service. */
    private final Actor service;
    /** The attempts this instance holds, queued or being written: their leases are renewed. */
    private final Map<UUID, Attempt> held = new ConcurrentHashMap<>();
    /**
     * One archive at a time per instance: an export is a bulk read of the database and the object store, and
     * queueing them keeps their memory and I/O bounded whatever the number of Owners asking.
     */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "workspace-export");
        thread.setDaemon(true);
        return thread;
    });

    public ExportService(
            ExportRepository exports,
            WorkspaceScope scope,
            BlobStore blobs,
            AuditTrail audit,
            ExportSigner signer,
            AuditLogExports auditLog,
            ExportConfig config,
            ObjectMapper json,
            @ConfigProperty(name = "spalce.service.name") String serviceName) {
        this.exports = exports;
        this.scope = scope;
        this.blobs = blobs;
        this.audit = audit;
        this.signer = signer;
        this.auditLog = auditLog;
        this.config = config;
        this.json = json;
        this.service = Actor.service(serviceName);
    }

    /** Records the request (row and audit event in one transaction), then writes the archive in the background. */
    public Uni<WorkspaceExport> start(String workspaceId, Actor actor) {
        UUID id = UUID.randomUUID();
        return scope.transaction(
                        workspaceId,
                        () -> exports.countRecords(workspaceId)
                                .chain(records ->
                                        exports.countObjects(workspaceId).map(objects -> records + objects))
                                .chain(total -> {
                                    WorkspaceExport export = new WorkspaceExport();
                                    export.id = id;
                                    export.workspaceId = workspaceId;
                                    export.state = WorkspaceExport.RUNNING;
                                    export.requestedBy = Actors.stored(actor);
                                    export.requestedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                                    export.recordsTotal = total;
                                    export.objectKey = "workspaces/" + workspaceId + "/exports/" + id + ".zip";
                                    export.attempt = 1;
                                    export.leaseUntil = export.requestedAt.plus(config.lease());
                                    return exports.persist(export);
                                })
                                .call(export -> audit.record(
                                        workspaceId,
                                        AuditAction.EXPORT_REQUESTED,
                                        actor,
                                        target(id),
                                        Outcome.SUCCESS,
                                        Map.of("records", Long.toString(export.recordsTotal)))))
                .invoke(export -> enqueue(new Attempt(workspaceId, id, 1, export.objectKey, actor)));
    }

    /** The workspace's newest exports, newest first. */
    public Uni<List<WorkspaceExport>> list(String workspaceId, int limit) {
        return scope.transaction(workspaceId, () -> exports.newest(workspaceId, limit));
    }

    public Uni<WorkspaceExport> get(String workspaceId, UUID id) {
        return scope.transaction(workspaceId, () -> exports.find(workspaceId, id))
                .map(export -> {
                    if (export == null) {
                        throw ProblemException.notFound("export", id.toString());
                    }
                    return export;
                });
    }

    /** Records that {@code actor} was given a download URL for a completed export's archive. */
    public Uni<WorkspaceExport> authorizeDownload(String workspaceId, UUID id, Actor actor) {
        return scope.transaction(
                workspaceId,
                () -> exports.find(workspaceId, id).call(export -> {
                    requireCompleted(export, id);
                    return audit.record(
                            workspaceId,
                            AuditAction.EXPORT_DOWNLOADED,
                            actor,
                            target(id),
                            Outcome.SUCCESS,
                            Map.of("sha256", export.archiveSha256));
                }));
    }

    /** A completed export's archive and its stream from the object store. Blocking; the caller closes the stream. */
    public Archive open(String workspaceId, UUID id) {
        WorkspaceExport export = await(() -> get(workspaceId, id));
        requireCompleted(export, id);
        return new Archive(export, blobs.open(export.objectKey));
    }

    /** An archive about to be streamed. */
    public record Archive(WorkspaceExport export, InputStream content) {}

    @PreDestroy
    void stop() {
        writer.shutdownNow();
    }

    /** One attempt at writing an export's archive, by this instance. */
    private record Attempt(String workspaceId, UUID exportId, int number, String objectKey, Actor actor) {}

    /** The attempt has lost its export to another instance: it stops and leaves everything to that one. */
    private static final class LeaseLost extends IOException {
        LeaseLost() {
            super("the export was taken over by another instance");
        }
    }

    /** Queues an attempt on this instance's writer; its lease is renewed while it waits and while it runs. */
    private void enqueue(Attempt attempt) {
        held.put(attempt.exportId(), attempt);
        writer.execute(() -> {
            try {
                run(attempt);
            } finally {
                held.remove(attempt.exportId(), attempt);
            }
        });
    }

    /** Renews the lease of every export this instance holds, queued or being written. */
    @Scheduled(
            every = "${spalce.evidence.export.lease-renew-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> renewLeases() {
        Uni<Void> renewed = Uni.createFrom().voidItem();
        for (Attempt attempt : List.copyOf(held.values())) {
            renewed = renewed.chain(() -> scope.transaction(
                            attempt.workspaceId(),
                            () -> exports.renewLease(
                                    attempt.workspaceId(), attempt.exportId(), attempt.number(), config.lease()))
                    .invoke(held -> {
                        if (!held) {
                            LOG.warnf("export %s: attempt %d lost its lease", attempt.exportId(), attempt.number());
                        }
                    })
                    .onFailure()
                    .invoke(failure -> LOG.warnf(
                            "export %s: could not renew its lease: %s", attempt.exportId(), failure.toString()))
                    .onFailure()
                    .recoverWithNull()
                    .replaceWithVoid());
        }
        return renewed;
    }

    /**
     * Takes over the exports whose lease has run out (their instance stopped): each is claimed by a compare-and-set,
     * audited as {@code export.taken-over}, and written again from the start, or failed once it has had
     * {@code spalce.evidence.export.max-attempts}.
     */
    @Scheduled(
            every = "${spalce.evidence.export.takeover-every}",
            delayed = "${spalce.evidence.export.takeover-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> takeOverOrphans() {
        return Panache.withSession(() -> exports.orphans(TAKEOVERS_PER_SWEEP)).chain(orphans -> {
            Uni<Void> claimed = Uni.createFrom().voidItem();
            for (ExportRepository.Orphan orphan : orphans) {
                claimed = claimed.chain(() -> takeOver(orphan));
            }
            return claimed;
        });
    }

    private Uni<Void> takeOver(ExportRepository.Orphan orphan) {
        String workspaceId = orphan.workspaceId();
        UUID id = orphan.exportId();
        return scope.transaction(
                        workspaceId,
                        () -> exports.claim(workspaceId, id, config.lease()).call(export -> {
                            if (export == null) {
                                return Uni.createFrom().voidItem();
                            }
                            boolean exhausted = export.attempt > config.maxAttempts();
                            if (exhausted) {
                                export.state = WorkspaceExport.FAILED;
                                export.error = "abandoned after " + config.maxAttempts() + " attempts";
                                export.finishedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                            }
                            return audit.record(
                                    workspaceId,
                                    exhausted ? AuditAction.EXPORT_FAILED : AuditAction.EXPORT_TAKEN_OVER,
                                    service,
                                    target(id),
                                    exhausted ? Outcome.ERROR : Outcome.SUCCESS,
                                    exhausted
                                            ? Map.of("reason", export.error)
                                            : Map.of("attempt", Integer.toString(export.attempt)));
                        }))
                .invoke(export -> {
                    if (export != null && WorkspaceExport.RUNNING.equals(export.state)) {
                        LOG.infof("export %s of workspace %s: taken over, attempt %d", id, workspaceId, export.attempt);
                        enqueue(new Attempt(
                                workspaceId, id, export.attempt, export.objectKey, Actors.parse(export.requestedBy)));
                    }
                })
                .onFailure()
                .invoke(failure -> LOG.warnf("export %s: could not be taken over: %s", id, failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private void run(Attempt attempt) {
        String workspaceId = attempt.workspaceId();
        UUID id = attempt.exportId();
        Actor actor = attempt.actor();
        try {
            BlobStore.StoredObject stored = blobs.put(attempt.objectKey(), sink -> writeArchive(attempt, sink));
            boolean finished = finish(attempt, export -> {
                export.state = WorkspaceExport.COMPLETED;
                export.archiveBytes = stored.bytes();
                export.archiveSha256 = stored.sha256();
                export.recordsDone = export.recordsTotal;
                return audit.record(
                        workspaceId,
                        AuditAction.EXPORT_COMPLETED,
                        actor,
                        target(id),
                        Outcome.SUCCESS,
                        Map.of("bytes", Long.toString(stored.bytes()), "sha256", stored.sha256()));
            });
            if (finished) {
                LOG.infof("export %s of workspace %s: %d bytes written", id, workspaceId, stored.bytes());
            } else {
                // Taken over while this attempt wrote its last bytes: its archive is not the export's.
                blobs.delete(attempt.objectKey());
            }
        } catch (LeaseLost lost) {
            LOG.warnf(
                    "export %s of workspace %s: attempt %d stopped, %s",
                    id, workspaceId, attempt.number(), lost.getMessage());
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof ProblemException problem
                    ? problem.getMessage()
                    : e.getClass().getSimpleName();
            LOG.errorf(e, "export %s of workspace %s failed", id, workspaceId);
            try {
                finish(attempt, export -> {
                    export.state = WorkspaceExport.FAILED;
                    export.error = reason;
                    return audit.record(
                            workspaceId,
                            AuditAction.EXPORT_FAILED,
                            actor,
                            target(id),
                            Outcome.ERROR,
                            Map.of("reason", reason));
                });
            } catch (RuntimeException stillFailing) {
                LOG.errorf(stillFailing, "could not record the failure of export %s", id);
            }
        }
    }

    /**
     * Records how the attempt ended, if it still holds its export (the row is locked for the check); false, with
     * nothing changed, if another instance has taken it over.
     */
    private boolean finish(Attempt attempt, Function<WorkspaceExport, Uni<Void>> change) {
        // Its lease is no longer renewed: the attempt ends now, one way or the other.
        held.remove(attempt.exportId(), attempt);
        return await(() -> scope.transaction(
                attempt.workspaceId(),
                () -> exports.lockForFinish(attempt.workspaceId(), attempt.exportId())
                        .chain(export -> {
                            if (export == null
                                    || export.attempt != attempt.number()
                                    || !WorkspaceExport.RUNNING.equals(export.state)) {
                                return Uni.createFrom().item(false);
                            }
                            export.finishedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                            return change.apply(export).replaceWith(true);
                        })));
    }

    /** Writes the whole archive into {@code sink}: records, objects, audit log, format.md, then the signed manifest. */
    private void writeArchive(Attempt attempt, OutputStream sink) throws IOException {
        String workspaceId = attempt.workspaceId();
        UUID exportId = attempt.exportId();
        ZipOutputStream zip = new ZipOutputStream(new KeepOpen(sink), StandardCharsets.UTF_8);
        List<ArchiveEntry> entries = new ArrayList<>();
        Map<String, Long> recordCounts = new LinkedHashMap<>();
        long[] done = {0};
        for (RecordTable table : ExportRepository.TABLES) {
            long[] count = {0};
            entries.add(entry(zip, "records/" + table.recordType() + ".jsonl", Deflater.DEFAULT_COMPRESSION, out -> {
                forEachPage(workspaceId, table, page -> {
                    for (StoredRecord record : page) {
                        out.write(json.writeValueAsBytes(line(workspaceId, table, record)));
                        out.write('\n');
                    }
                    count[0] += page.size();
                    done[0] += page.size();
                    progress(attempt, done[0]);
                });
            }));
            recordCounts.put(table.recordType(), count[0]);
        }
        RecordTable evidence = ExportRepository.TABLES.stream()
                .filter(table -> table.recordType().equals("evidence"))
                .findFirst()
                .orElseThrow();
        long[] objects = {0};
        forEachPage(workspaceId, evidence, page -> {
            for (StoredRecord record : page) {
                // Ciphertext does not compress: stored at level 0, the object passes through as it is.
                entries.add(entry(zip, objectEntry(record.id()), Deflater.NO_COMPRESSION, out -> {
                    try (InputStream object = blobs.open(record.attributes().get("object_key"))) {
                        object.transferTo(out);
                    }
                }));
                objects[0]++;
                done[0]++;
            }
            progress(attempt, done[0]);
        });
        entries.add(entry(zip, "audit/audit-log.jsonl", Deflater.DEFAULT_COMPRESSION, out -> {
            try (InputStream log = auditLog.exportJsonLines(workspaceId)) {
                log.transferTo(out);
            }
        }));
        entries.add(entry(zip, "format.md", Deflater.DEFAULT_COMPRESSION, out -> {
            try (InputStream format = ExportService.class.getResourceAsStream("/export/format.md")) {
                if (format == null) {
                    throw new IllegalStateException("docs/format.md is missing from the service's resources");
                }
                format.transferTo(out);
            }
        }));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", "spalce-workspace-export");
        manifest.put("version", 1);
        manifest.put("workspaceId", workspaceId);
        manifest.put("exportId", exportId.toString());
        manifest.put("createdAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        manifest.put("signature", Map.of("algorithm", "Ed25519", "keyId", signer.keyId(), "entry", SIGNATURE));
        manifest.put("records", recordCounts);
        manifest.put("objects", objects[0]);
        manifest.put("entries", entries);
        byte[] manifestBytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        entry(zip, MANIFEST, Deflater.DEFAULT_COMPRESSION, out -> out.write(manifestBytes));
        byte[] signature =
                Base64.getEncoder().encodeToString(signer.sign(manifestBytes)).getBytes(StandardCharsets.US_ASCII);
        entry(zip, SIGNATURE, Deflater.NO_COMPRESSION, out -> out.write(signature));
        zip.finish();
    }

    /** One line of {@code records/<type>.jsonl}: the record as stored, ciphertexts and wrapped DEK in base64. */
    private static Map<String, Object> line(String workspaceId, RecordTable table, StoredRecord record) {
        Base64.Encoder base64 = Base64.getEncoder();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", table.recordType());
        line.put("id", record.id().toString());
        line.put("workspaceId", workspaceId);
        line.put("kmsKeyId", record.kmsKeyId());
        line.put("wrappedDek", base64.encodeToString(record.wrappedDek()));
        line.put("formatVersion", record.formatVersion());
        Map<String, String> fields = new LinkedHashMap<>();
        record.fields().forEach((field, ciphertext) -> fields.put(field, base64.encodeToString(ciphertext)));
        line.put("fields", fields);
        if (table.recordType().equals("evidence")) {
            line.put("object", objectEntry(record.id()));
        }
        Map<String, String> attributes = new LinkedHashMap<>(record.attributes());
        // Where the object lived in Spalce's bucket says nothing the archive needs.
        attributes.remove("object_key");
        line.put("attributes", attributes);
        return line;
    }

    private static String objectEntry(UUID evidenceId) {
        return "objects/" + evidenceId;
    }

    /** Writes one entry, hashing and counting what it writes. */
    private static ArchiveEntry entry(ZipOutputStream zip, String name, int level, BlobStore.Writer content)
            throws IOException {
        zip.setLevel(level);
        zip.putNextEntry(new ZipEntry(name));
        HashingStream out = new HashingStream(zip);
        content.writeTo(out);
        zip.closeEntry();
        return new ArchiveEntry(name, out.count, HexFormat.of().formatHex(out.sha256.digest()));
    }

    @FunctionalInterface
    private interface PageConsumer {
        void accept(List<StoredRecord> page) throws IOException;
    }

    private void forEachPage(String workspaceId, RecordTable table, PageConsumer consumer) throws IOException {
        UUID after = null;
        while (true) {
            UUID from = after;
            List<StoredRecord> page = await(() ->
                    scope.transaction(workspaceId, () -> exports.page(workspaceId, table, from, config.pageSize())));
            if (page.isEmpty()) {
                return;
            }
            consumer.accept(page);
            if (page.size() < config.pageSize()) {
                return;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** Records progress and renews the lease; stops the attempt if its export was taken over. */
    private void progress(Attempt attempt, long done) throws LeaseLost {
        boolean held = await(() -> scope.transaction(
                attempt.workspaceId(),
                () -> exports.recordProgress(
                        attempt.workspaceId(), attempt.exportId(), attempt.number(), done, config.lease())));
        if (!held) {
            throw new LeaseLost();
        }
    }

    private static void requireCompleted(WorkspaceExport export, UUID id) {
        if (export == null) {
            throw ProblemException.notFound("export", id.toString());
        }
        if (!WorkspaceExport.COMPLETED.equals(export.state)) {
            throw new ProblemException(
                    409,
                    "export-not-ready",
                    "Export not ready",
                    "export " + id + " is " + export.state + "; only a completed export can be downloaded");
        }
    }

    /** The audit target of an export. */
    public static Target target(UUID id) {
        return new Target("export", id.toString());
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        return SignedFetches.await(work);
    }

    /** The zip stream writes into the object store's sink, which {@link BlobStore#put} completes itself. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream sink) {
            super(sink);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** Passes bytes on to the archive, counting and hashing them; closing it leaves the archive open. */
    private static final class HashingStream extends OutputStream {
        private final OutputStream target;
        private final MessageDigest sha256;
        private long count;

        HashingStream(OutputStream target) {
            this.target = target;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JDK", e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            target.write(bytes, offset, length);
            sha256.update(bytes, offset, length);
            count += length;
        }

        @Override
        public void close() {}
    }
}
