package dev.spalce.cryptoservice.tenantkey.repository;

import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class TenantKeyVersionRepository implements PanacheRepositoryBase<TenantKeyVersion, String> {

    /** Every version of the workspace's key, oldest first. */
    public Uni<List<TenantKeyVersion>> listFor(String workspaceId) {
        return find("workspaceId", Sort.ascending("version"), workspaceId).list();
    }

    /** One version of the workspace's key, or null. */
    public Uni<TenantKeyVersion> findVersion(String workspaceId, int version) {
        return find("workspaceId = ?1 and version = ?2", workspaceId, version).firstResult();
    }
}
