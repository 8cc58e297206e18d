package dev.spalce.cryptoservice.tenantkey.repository;

import dev.spalce.contracts.keys.KeyVersionState;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class TenantKeyVersionRepository implements PanacheRepositoryBase<TenantKeyVersion, String> {

    /** Every version of every key the workspace has had, by key, oldest version first. */
    public Uni<List<TenantKeyVersion>> listFor(String workspaceId) {
        return find("workspaceId", Sort.ascending("keyId", "version"), workspaceId)
                .list();
    }

    /** One version of a key, or null. */
    public Uni<TenantKeyVersion> findVersion(UUID keyId, int version) {
        return find("keyId = ?1 and version = ?2", keyId, version).firstResult();
    }

    /** Retires every version of a key that is not retired yet (the key is being detached); how many. */
    public Uni<Integer> retireAll(UUID keyId, Instant now) {
        return update(
                "state = ?1, stateChangedAt = ?2 where keyId = ?3 and state <> ?1",
                KeyVersionState.RETIRED,
                now,
                keyId);
    }

    /** How many versions of a key the registry knows. */
    public Uni<Long> countFor(UUID keyId) {
        return count("keyId = ?1", keyId);
    }
}
