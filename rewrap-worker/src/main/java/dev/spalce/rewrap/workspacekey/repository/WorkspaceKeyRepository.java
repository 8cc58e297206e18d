package dev.spalce.rewrap.workspacekey.repository;

import dev.spalce.rewrap.workspacekey.model.WorkspaceKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class WorkspaceKeyRepository implements PanacheRepositoryBase<WorkspaceKey, String> {

    /**
     * Records that the workspace's CMK is at {@code version}, unless a later version is already known: key events
     * of one workspace arrive in order, but a redelivery may bring an old one back.
     */
    public Uni<Void> advance(String workspaceId, String kmsKeyId, int version) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        INSERT INTO workspace_key (workspace_id, current_kms_key_id, current_version, updated_at)
                        VALUES (:workspace, :kmsKeyId, :version, clock_timestamp())
                        ON CONFLICT (workspace_id) DO UPDATE
                           SET current_kms_key_id = EXCLUDED.current_kms_key_id,
                               current_version = EXCLUDED.current_version,
                               updated_at = EXCLUDED.updated_at
                         WHERE workspace_key.current_version < EXCLUDED.current_version""")
                        .setParameter("workspace", workspaceId)
                        .setParameter("kmsKeyId", kmsKeyId)
                        .setParameter("version", version)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Records that the workspace changed its CMK for another key, now at {@code kmsKeyId}, and that data keys are
     * still wrapped under a key of {@code previousProvider}. Unconditional, unlike {@link #advance}: the new key's
     * versions start again at its own first one. Key events of one workspace arrive in order and a redelivered
     * one is recognised by its id before this runs.
     */
    public Uni<Void> changeKey(String workspaceId, String kmsKeyId, int version, String previousProvider) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        INSERT INTO workspace_key (workspace_id, current_kms_key_id, current_version, previous_provider,
                                                   updated_at)
                        VALUES (:workspace, :kmsKeyId, :version, :previous, clock_timestamp())
                        ON CONFLICT (workspace_id) DO UPDATE
                           SET current_kms_key_id = EXCLUDED.current_kms_key_id,
                               current_version = EXCLUDED.current_version,
                               previous_provider = EXCLUDED.previous_provider,
                               updated_at = EXCLUDED.updated_at""")
                        .setParameter("workspace", workspaceId)
                        .setParameter("kmsKeyId", kmsKeyId)
                        .setParameter("version", version)
                        .setParameter("previous", previousProvider)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Records that no data key of the workspace is wrapped under a previous key any more. */
    public Uni<Integer> previousKeyDetached(String workspaceId) {
        return update(
                "previousProvider = null, updatedAt = ?1 where workspaceId = ?2 and previousProvider is not null",
                Instant.now(),
                workspaceId);
    }
}
