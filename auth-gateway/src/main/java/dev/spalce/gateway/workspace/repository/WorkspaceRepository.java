package dev.spalce.gateway.workspace.repository;

import dev.spalce.gateway.workspace.model.Workspace;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class WorkspaceRepository implements PanacheRepositoryBase<Workspace, UUID> {

    public Uni<List<Workspace>> withIds(Collection<UUID> ids) {
        return list("id in ?1", Sort.ascending("createdAt"), ids);
    }

    /**
     * Deletes the workspace's own rows here (its members, invitations and the workspace itself), at the end of its
     * purge; how many rows. Its deletion record stays.
     */
    public Uni<Integer> deleteWithMembers(UUID id) {
        return getSession()
                .chain(session -> session.createNativeQuery("DELETE FROM membership WHERE workspace_id = :id")
                        .setParameter("id", id)
                        .executeUpdate()
                        .chain(members -> session.createNativeQuery("DELETE FROM invitation WHERE workspace_id = :id")
                                .setParameter("id", id)
                                .executeUpdate()
                                .map(invitations -> members + invitations))
                        .chain(count -> session.createNativeQuery("DELETE FROM workspace WHERE id = :id")
                                .setParameter("id", id)
                                .executeUpdate()
                                .map(workspaces -> count + workspaces)));
    }
}
