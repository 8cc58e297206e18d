package dev.spalce.cryptoservice.tenantkey.repository;

import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;

@ApplicationScoped
public class TenantKeyRepository implements PanacheRepositoryBase<TenantKey, String> {

    /** The workspace's key, locked for this transaction (rotations and policy changes of one workspace serialise). */
    public Uni<TenantKey> lockForUpdate(String workspaceId) {
        return findById(workspaceId, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The key whose rotation has been due longest, locked for this transaction, or null. A key another instance's
     * scheduler (or an on-demand rotation) holds is skipped, so instances never rotate one key twice at once.
     */
    public Uni<TenantKey> lockNextDue(Instant now) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT * FROM tenant_key WHERE next_rotation_at <= :now "
                                        + "ORDER BY next_rotation_at, workspace_id LIMIT 1 FOR UPDATE SKIP LOCKED",
                                TenantKey.class)
                        .setParameter("now", now)
                        .getResultList())
                .map(found -> found.isEmpty() ? null : found.get(0));
    }

    /** Whether a workspace has registered the key of this identity with this provider. */
    public Uni<Boolean> identityTaken(String provider, String keyIdentity) {
        return count("provider = ?1 and keyIdentity = ?2", provider, keyIdentity)
                .map(count -> count > 0);
    }

    /** Notes a failed scheduled rotation and postpones the next attempt. */
    public Uni<Integer> recordRotationFailure(String workspaceId, String error, Instant retryAt, Instant now) {
        return update(
                "rotationFailures = rotationFailures + 1, lastRotationError = ?1, nextRotationAt = ?2, "
                        + "updatedAt = ?3 where workspaceId = ?4",
                error,
                retryAt,
                now,
                workspaceId);
    }
}
