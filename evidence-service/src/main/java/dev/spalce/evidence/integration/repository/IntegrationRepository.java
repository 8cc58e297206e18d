package dev.spalce.evidence.integration.repository;

import dev.spalce.evidence.integration.model.Integration;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Queries of integrations; every one names the workspace (row-level security checks it again). */
@ApplicationScoped
public class IntegrationRepository implements PanacheRepositoryBase<Integration, UUID> {

    public Uni<Integration> find(String workspaceId, UUID id) {
        return find("workspaceId = ?1 and id = ?2", workspaceId, id).firstResult();
    }

    public Uni<List<Integration>> all(String workspaceId) {
        return list("workspaceId = ?1 order by connectedAt, id", workspaceId);
    }
}
