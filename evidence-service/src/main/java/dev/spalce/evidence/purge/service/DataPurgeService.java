package dev.spalce.evidence.purge.service;

import dev.spalce.evidence.common.repository.WorkspaceScope;
import dev.spalce.evidence.file.service.BlobStore;
import dev.spalce.evidence.purge.repository.WorkspaceRowsRepository;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Deletes everything evidence-service holds of a deleted workspace (docs/deletion.md): its rows in every table, in
 * one transaction, then every object under its prefix in the bucket (evidence files and export archives). By the
 * time the gateway calls this, crypto-service has already shredded the workspace's keys, so what is deleted here
 * was unreadable already; deleting it removes even the ciphertext. Idempotent: objects are found by listing the
 * prefix, so a purge interrupted between the two steps finishes on the next call.
 */
@ApplicationScoped
public class DataPurgeService {

    private static final Logger LOG = Logger.getLogger(DataPurgeService.class);

    private final WorkspaceRowsRepository rows;
    private final WorkspaceScope scope;
    private final BlobStore blobs;

    public DataPurgeService(WorkspaceRowsRepository rows, WorkspaceScope scope, BlobStore blobs) {
        this.rows = rows;
        this.scope = scope;
        this.blobs = blobs;
    }

    /** What one purge deleted: rows per table, objects. */
    public record Purged(Map<String, Long> rows, long objects) {}

    public Uni<Purged> purge(String workspaceId) {
        return scope.transaction(workspaceId, () -> rows.deleteAll(workspaceId))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(deleted -> new Purged(deleted, blobs.deleteUnder(objectPrefix(workspaceId))))
                .invoke(purged -> LOG.infof(
                        "purged workspace %s: rows %s, %d object(s)", workspaceId, purged.rows(), purged.objects()));
    }

    /** Where the workspace's objects live in the bucket (evidence files and export archives alike). */
    static String objectPrefix(String workspaceId) {
        return "workspaces/" + workspaceId + "/";
    }
}
