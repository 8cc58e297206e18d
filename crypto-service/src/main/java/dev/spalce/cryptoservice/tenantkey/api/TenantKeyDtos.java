package dev.spalce.cryptoservice.tenantkey.api;

import dev.spalce.contracts.keys.WorkspaceKeyApi.CmkView;
import dev.spalce.contracts.keys.WorkspaceKeyApi.FormerKeyView;
import dev.spalce.contracts.keys.WorkspaceKeyApi.VersionView;
import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyAdvice;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyState;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The bodies of the tenant key management API that only users (through the gateway) or rewrap-worker's detach
 * call send; the views are the contract's ({@link dev.spalce.contracts.keys.WorkspaceKeyApi}), which rewrap-worker
 * reads as well.
 */
public final class TenantKeyDtos {

    private TenantKeyDtos() {}

    /**
     * Register a workspace's CMK.
     *
     * @param provider the key provider id: {@code local}, {@code pkcs11} (and the cloud providers once enabled)
     * @param keyReference an existing key of the provider; omit it to let the provider create one (local, pkcs11)
     * @param rotationPeriodDays how often to rotate automatically, 1 to 3650 days; default 365
     */
    public record RegisterRequest(
            @NotBlank String provider,
            String keyReference,
            @Min(1) @Max(3650) Integer rotationPeriodDays) {}

    /**
     * Change the workspace's CMK for another key.
     *
     * @param provider the new key's provider: the same as now or another one enabled on this deployment
     * @param keyReference an existing key of the provider; omit it to let the provider create one (local, pkcs11)
     */
    public record ChangeRequest(@NotBlank String provider, String keyReference) {}

    /** @param rotationPeriodDays how often to rotate automatically, 1 to 3650 days */
    public record RotationPolicyRequest(
            @NotNull @Min(1) @Max(3650) Integer rotationPeriodDays) {}

    /** The contract's view of a workspace's CMK and the keys it changed from, from the registry's state. */
    static CmkView cmkView(TenantKeyState state) {
        var key = state.key();
        return new CmkView(
                key.workspaceId,
                key.provider,
                key.keyReference,
                key.keyCreated,
                key.currentVersion,
                key.currentKmsKeyId().toString(),
                key.rotationPeriodDays,
                key.lastRotatedAt,
                key.nextRotationAt,
                key.rotationFailures,
                versionViews(state.versionsOf(key)),
                state.formerKeys().stream()
                        .map(former -> formerKeyView(former, state.versionsOf(former)))
                        .toList());
    }

    /** A key the workspace changed from, with {@code versions} of it (none, where the caller leaves them out). */
    static FormerKeyView formerKeyView(TenantKey key, List<TenantKeyVersion> versions) {
        return new FormerKeyView(
                key.provider,
                key.keyReference,
                key.state,
                key.keyCreated,
                key.currentKmsKeyId().toString(),
                key.replacedAt,
                key.detachedAt,
                TenantKeyAdvice.disableAdvice(key),
                versionViews(versions));
    }

    private static List<VersionView> versionViews(List<TenantKeyVersion> rows) {
        return rows.stream()
                .map(row -> new VersionView(row.version, row.kmsKeyId, row.state, row.createdAt, row.stateChangedAt))
                .toList();
    }
}
