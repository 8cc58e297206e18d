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
}
