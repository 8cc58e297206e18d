package dev.spalce.rewrap.workspacekey.repository;

import dev.spalce.rewrap.workspacekey.model.WorkspaceKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

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
}
