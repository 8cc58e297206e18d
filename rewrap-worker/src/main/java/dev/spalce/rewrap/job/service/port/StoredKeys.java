package dev.spalce.rewrap.job.service.port;

import dev.spalce.contracts.rewrap.WrappedKeys;
import dev.spalce.contracts.rewrap.WrappedKeys.Page;
import dev.spalce.contracts.rewrap.WrappedKeys.Swap;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** The data owner's side of a rewrap: evidence-service's rewrap support API ({@link WrappedKeys}). */
public interface StoredKeys {

    /** How many of the workspace's records hold a data key not wrapped under {@code targetKmsKeyId}. */
    Uni<Long> countNotOn(String workspaceId, String targetKmsKeyId);

    /**
     * The next page of those records after {@code cursor} (null: from the start), in a stable order; its items are
     * never null (possibly empty), its cursor null after the last page.
     */
    Uni<Page> pageNotOn(String workspaceId, String targetKmsKeyId, String cursor, int limit);

    /** Writes each key where the record still holds the expected one; the number written. */
    Uni<Integer> compareAndSet(String workspaceId, List<Swap> keys);
}
