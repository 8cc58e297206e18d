package dev.spalce.evidence.file.service;

import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.crypto.AssociatedData;
import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.PayloadFormat;
import dev.spalce.crypto.StreamCiphers;
import dev.spalce.evidence.common.api.Actors;
import dev.spalce.evidence.common.api.EvidenceProblems;
import dev.spalce.evidence.common.repository.KeysetCursor;
import dev.spalce.evidence.common.repository.WorkspaceScope;
import dev.spalce.evidence.common.service.SignedFetches;
import dev.spalce.evidence.datakey.model.WrappedKeyRow;
import dev.spalce.evidence.datakey.service.DataKeys;
import dev.spalce.evidence.datakey.service.MintedKey;
import dev.spalce.evidence.datakey.service.UnreadableRecords;
import dev.spalce.evidence.file.config.EvidenceConfig;
import dev.spalce.evidence.file.model.EvidenceFile;
import dev.spalce.evidence.file.repository.EvidenceFileRepository;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.audit.AuditTrail;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Evidence files: upload (streamed through envelope encryption into the object store), list, metadata, download
 * (streamed decryption, behind a signed URL), delete. Upload and download run on worker threads (they block on
 * the request and object streams); their database work runs on the request's Vert.x context.
 */
@ApplicationScoped
public class EvidenceService {

    private static final Logger LOG = Logger.getLogger(EvidenceService.class);

    /** The record type evidence DEKs are minted for. */
    public static final String RECORD_TYPE = "evidence";

    private static final int COPY_BUFFER = 64 * 1024;

    /** What the uploader says about a file. */
    public record UploadRequest(
            String name, String mediaType, String controlId, List<String> tags, Long declaredLength) {}

    /** A filtered page request; the cursor is an opaque position from a previous page. */
    public record PageRequest(String controlId, String tag, Instant from, Instant to, String cursor, int limit) {}

    public record Page(List<EvidenceFile> items, String nextCursor) {}

    private final EvidenceFileRepository files;
    private final WorkspaceScope scope;
    private final DataKeys dataKeys;
    private final BlobStore blobs;
    private final AuditTrail audit;
    private final EvidenceConfig config;
    private final UnreadableRecords unreadable;

    public EvidenceService(
            EvidenceFileRepository files,
            WorkspaceScope scope,
            DataKeys dataKeys,
            BlobStore blobs,
            AuditTrail audit,
            EvidenceConfig config,
            UnreadableRecords unreadable) {
        this.files = files;
        this.scope = scope;
        this.dataKeys = dataKeys;
        this.blobs = blobs;
        this.audit = audit;
        this.config = config;
        this.unreadable = unreadable;
    }

    /**
     * Encrypts {@code content} under a fresh DEK into the object store, then records its metadata and the audit
     * event in one transaction. Any failure leaves neither a row nor an object. Blocking.
     */
    public EvidenceFile upload(String workspaceId, Actor actor, UploadRequest request, InputStream content) {
        String mediaType =
                request.mediaType() == null ? "" : request.mediaType().toLowerCase(java.util.Locale.ROOT);
        if (!config.upload().allowedTypes().contains(mediaType)) {
            throw EvidenceProblems.unsupportedContent(mediaType);
        }
        long max = config.upload().maxBytes();
        if (request.declaredLength() != null && request.declaredLength() == 0) {
            throw EvidenceProblems.emptyUpload();
        }
        if (request.declaredLength() != null && request.declaredLength() > max) {
            throw EvidenceProblems.uploadTooLarge(max);
        }
        UUID id = UUID.randomUUID();
        String objectKey = "workspaces/" + workspaceId + "/evidence/" + id;
        MessageDigest plaintextDigest = BlobStore.sha256();
        long[] plaintextBytes = {0};
        byte[] wrappedDek;
        String kmsKeyId;
        BlobStore.StoredObject stored;
        try (MintedKey key = await(() -> dataKeys.mint(workspaceId, RECORD_TYPE, id.toString()))) {
            wrappedDek = key.wrappedDek();
            kmsKeyId = key.kmsKeyId();
            AssociatedData binding = AssociatedData.forFile(workspaceId, id.toString());
            stored = blobs.put(objectKey, sink -> {
                try (OutputStream encrypting =
                        StreamCiphers.aesGcmHkdf(key.dek()).encryptingStream(sink, binding)) {
                    byte[] buffer = new byte[COPY_BUFFER];
                    int n;
                    while ((n = content.read(buffer)) > 0) {
                        plaintextBytes[0] += n;
                        if (plaintextBytes[0] > max) {
                            throw EvidenceProblems.uploadTooLarge(max);
                        }
                        plaintextDigest.update(buffer, 0, n);
                        encrypting.write(buffer, 0, n);
                    }
                    if (plaintextBytes[0] == 0) {
                        throw EvidenceProblems.emptyUpload();
                    }
                }
            });
        } catch (IOException e) {
            // The client's upload broke off (or its body could not be read): nothing was stored.
            throw new ProblemException(
                    400,
                    "upload-interrupted",
                    "Upload interrupted",
                    "the upload ended before the file was complete; nothing was stored");
        }
        EvidenceFile file = new EvidenceFile();
        file.id = id;
        file.workspaceId = workspaceId;
        file.name = request.name();
        file.mediaType = mediaType;
        file.controlId = request.controlId();
        file.tags = "," + String.join(",", request.tags()) + (request.tags().isEmpty() ? "" : ",");
        file.sizeBytes = plaintextBytes[0];
        file.ciphertextBytes = stored.bytes();
        file.sha256Plaintext = HexFormat.of().formatHex(plaintextDigest.digest());
        file.sha256Ciphertext = stored.sha256();
        file.objectKey = objectKey;
        file.wrappedDek = wrappedDek;
        file.kmsKeyId = kmsKeyId;
        file.formatVersion = (short) PayloadFormat.STREAM_AES_GCM_HKDF.version();
        file.uploadedBy = Actors.stored(actor);
        file.uploadedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try {
            return await(() -> scope.transaction(
                    workspaceId,
                    () -> files.persist(file)
                            .call(() -> audit.record(
                                    workspaceId,
                                    AuditAction.EVIDENCE_UPLOADED,
                                    actor,
                                    target(id),
                                    Outcome.SUCCESS,
                                    Map.of("sha256", file.sha256Plaintext, "bytes", Long.toString(file.sizeBytes))))));
        } catch (RuntimeException e) {
            deleteQuietly(objectKey);
            throw e;
        }
    }

    /** The file's metadata, or 404. */
    public Uni<EvidenceFile> get(String workspaceId, UUID id) {
        return scope.transaction(workspaceId, () -> files.find(workspaceId, id)).map(file -> {
            if (file == null) {
                throw ProblemException.notFound("evidence", id.toString());
            }
            return file;
        });
    }

    public Uni<Page> list(String workspaceId, PageRequest request) {
        KeysetCursor from = KeysetCursor.parse(request.cursor());
        return scope.transaction(
                        workspaceId,
                        () -> files.page(
                                workspaceId,
                                request.controlId(),
                                request.tag(),
                                request.from(),
                                request.to(),
                                from.afterTime(),
                                from.afterId(),
                                request.limit()))
                .map(items ->
                        new Page(items, items.size() < request.limit() ? null : cursor(items.get(items.size() - 1))));
    }

    /** Records that {@code actor} was given a download URL for the file (the download itself follows). */
    public Uni<EvidenceFile> authorizeDownload(String workspaceId, UUID id, Actor actor) {
        return scope.transaction(
                workspaceId,
                () -> files.find(workspaceId, id).call(file -> {
                    if (file == null) {
                        throw ProblemException.notFound("evidence", id.toString());
                    }
                    return audit.record(
                            workspaceId,
                            AuditAction.EVIDENCE_DOWNLOADED,
                            actor,
                            target(id),
                            Outcome.SUCCESS,
                            Map.of("sha256", file.sha256Plaintext));
                }));
    }

    /**
     * Opens the file for streaming, reading its object once: the ciphertext's SHA-256 is computed as it is
     * decrypted. Before any header is sent the first {@value #COPY_BUFFER} bytes of plaintext are decrypted (so a
     * file of one segment, or the first segment of any file, that fails authentication is refused as a typed
     * {@code integrity-failure}) and, for a file that small, the recorded digest is checked too. A file refused for
     * its own stored bytes (a wrapped key that does not authenticate, a refused key version, a failed integrity
     * check) is reported as unreadable, audited against {@code actor}. Blocking; the caller must write or close the
     * returned download.
     */
    public Download download(String workspaceId, UUID id, Actor actor) {
        try {
            return open(workspaceId, id);
        } catch (ProblemException problem) {
            if (UnreadableRecords.isRecordProblem(problem)) {
                await(() -> unreadable.reportAlone(workspaceId, actor, RECORD_TYPE, id.toString(), problem));
            }
            throw problem;
        }
    }

    private Download open(String workspaceId, UUID id) {
        EvidenceFile file = await(() -> get(workspaceId, id));
        List<DataKey> keys = await(() -> dataKeys.unwrap(workspaceId, List.of(WrappedKeyRow.of(RECORD_TYPE, file))));
        DataKey dek = keys.get(0);
        VerifiedPlaintext plaintext = null;
        try {
            plaintext = new VerifiedPlaintext(
                    file, blobs.open(file.objectKey), dek, AssociatedData.forFile(workspaceId, id.toString()));
            plaintext.readAhead();
            return new Download(file, plaintext);
        } catch (BadCiphertextException | VerifiedPlaintext.DigestMismatch e) {
            closeQuietly(plaintext, dek);
            LOG.errorf(
                    "evidence %s of workspace %s failed authentication or its recorded SHA-256 (%s)",
                    id, workspaceId, e.getMessage());
            throw EvidenceProblems.integrityFailure("the stored evidence file");
        } catch (IOException e) {
            closeQuietly(plaintext, dek);
            throw EvidenceProblems.objectStoreUnavailable(e);
        } catch (RuntimeException e) {
            closeQuietly(plaintext, dek);
            throw e;
        }
    }

    private static void closeQuietly(VerifiedPlaintext plaintext, DataKey dek) {
        if (plaintext != null) {
            plaintext.close();
        } else {
            dek.close();
        }
    }

    /**
     * A file about to be streamed: its metadata and the writer of its plaintext, which throws (after writing
     * everything but the last chunk) if the ciphertext fails authentication or its recorded SHA-256.
     */
    public record Download(EvidenceFile file, BlobStore.Writer content) {}

    /**
     * The plaintext of one stored object, read once. The last chunk is held back until the whole ciphertext has
     * been read and its SHA-256 matches the recorded one, so a client never receives a complete file whose
     * stored form was altered.
     */
    private static final class VerifiedPlaintext implements BlobStore.Writer, AutoCloseable {

        /** The ciphertext's SHA-256 differs from the recorded one. */
        static final class DigestMismatch extends IOException {
            DigestMismatch() {
                super("the stored ciphertext does not match its recorded SHA-256");
            }
        }

        private final EvidenceFile file;
        private final DigestInputStream ciphertext;
        private final InputStream plaintext;
        private final DataKey dek;
        private byte[] held = new byte[COPY_BUFFER];
        private int heldLength;
        private boolean ended;

        VerifiedPlaintext(EvidenceFile file, InputStream object, DataKey dek, AssociatedData binding) {
            this.file = file;
            this.dek = dek;
            this.ciphertext = new DigestInputStream(object, BlobStore.sha256());
            this.plaintext = StreamCiphers.aesGcmHkdf(dek).decryptingStream(ciphertext, binding);
        }

        /** Reads (and so authenticates) the first chunk; at the end of the file, checks the digest as well. */
        void readAhead() throws IOException {
            heldLength = plaintext.readNBytes(held, 0, held.length);
            if (heldLength < held.length) {
                finish();
            }
        }

        @Override
        public void writeTo(OutputStream sink) throws IOException {
            try {
                byte[] next = new byte[COPY_BUFFER];
                while (!ended) {
                    int n = plaintext.readNBytes(next, 0, next.length);
                    if (n < next.length) {
                        // The end: nothing of it leaves before the digest matches.
                        finish();
                    }
                    sink.write(held, 0, heldLength);
                    byte[] swap = held;
                    held = next;
                    next = swap;
                    heldLength = n;
                }
                sink.write(held, 0, heldLength);
            } catch (BadCiphertextException e) {
                throw new IOException("evidence ciphertext failed authentication while streaming", e);
            } finally {
                close();
            }
        }

        private void finish() throws IOException {
            ended = true;
            // Tink reads to the end of the final segment; anything after it must be hashed too.
            ciphertext.transferTo(OutputStream.nullOutputStream());
            byte[] actual = HexFormat.of()
                    .formatHex(ciphertext.getMessageDigest().digest())
                    .getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(actual, file.sha256Ciphertext.getBytes(StandardCharsets.US_ASCII))) {
                throw new DigestMismatch();
            }
        }

        @Override
        public void close() {
            try (DataKey erased = dek) {
                plaintext.close();
            } catch (IOException e) {
                LOG.debugf("closing an evidence object stream: %s", e.toString());
            }
        }
    }

    /**
     * Deletes the row (with the audit event), then the object. The row holds the only wrapped DEK, so once it
     * is gone an object left behind by a failed delete is unreadable ciphertext.
     */
    public Uni<Void> delete(String workspaceId, UUID id, Actor actor) {
        return scope.transaction(
                        workspaceId,
                        () -> files.find(workspaceId, id).call(file -> {
                            if (file == null) {
                                throw ProblemException.notFound("evidence", id.toString());
                            }
                            return files.delete(file)
                                    .call(() -> audit.record(
                                            workspaceId,
                                            AuditAction.EVIDENCE_DELETED,
                                            actor,
                                            target(id),
                                            Outcome.SUCCESS,
                                            Map.of()));
                        }))
                .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .invoke(file -> deleteQuietly(file.objectKey))
                .replaceWithVoid();
    }

    private void deleteQuietly(String objectKey) {
        try {
            blobs.delete(objectKey);
        } catch (RuntimeException e) {
            LOG.warnf("could not delete object %s (ciphertext whose key is gone): %s", objectKey, e.getMessage());
        }
    }

    /** The audit target of an evidence file. */
    public static Target target(UUID id) {
        return new Target("evidence", id.toString());
    }

    private static String cursor(EvidenceFile last) {
        return KeysetCursor.after(last.uploadedAt, last.id);
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        return SignedFetches.await(work);
    }
}
