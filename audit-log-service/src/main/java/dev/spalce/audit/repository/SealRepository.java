package dev.spalce.audit.repository;

import dev.spalce.audit.model.AuditSeal;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class SealRepository implements PanacheRepositoryBase<AuditSeal, String> {

    /** Whether the workspace's chain is sealed. Read under the chain's lock, so that no append slips past a seal. */
    public Uni<Boolean> isSealed(String workspaceId) {
        return count("workspaceId", workspaceId).map(count -> count > 0);
    }
}
