package dev.spalce.gateway.workspace.repository;

import dev.spalce.contracts.access.Role;
import dev.spalce.gateway.workspace.model.Membership;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class MembershipRepository implements PanacheRepositoryBase<Membership, Membership.Key> {

    public Uni<Membership> find(UUID workspaceId, String subject) {
        return find("workspaceId = ?1 and subject = ?2", workspaceId, subject).firstResult();
    }

    public Uni<List<Membership>> ofSubject(String subject) {
        return list("subject", subject);
    }

    public Uni<List<Membership>> ofWorkspace(UUID workspaceId) {
        return find("workspaceId", Sort.ascending("addedAt", "subject"), workspaceId)
                .list();
    }

    public Uni<Long> countWithRole(UUID workspaceId, Role role) {
        return count("workspaceId = ?1 and role = ?2", workspaceId, role);
    }
}
