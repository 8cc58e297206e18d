package dev.spalce.cryptoservice.tenantkey.api;

import dev.spalce.contracts.keys.WorkspaceKeyApi.CmkView;
import dev.spalce.contracts.keys.WorkspaceKeyApi.VersionView;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyState;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * The bodies of the tenant key management API that only users send (through the gateway); the others are the
 * contract's ({@link dev.spalce.contracts.keys.WorkspaceKeyApi}), which rewrap-worker reads as well.
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

    /** @param rotationPeriodDays how often to rotate automatically, 1 to 3650 days */
    public record RotationPolicyRequest(
            @NotNull @Min(1) @Max(3650) Integer rotationPeriodDays) {}

    /** The contract's view of a workspace's CMK, from the registry's state. */
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
                state.versions().stream().map(TenantKeyDtos::versionView).toList());
    }

    private static VersionView versionView(TenantKeyVersion row) {
        return new VersionView(row.version, row.kmsKeyId, row.state, row.createdAt, row.stateChangedAt);
    }
}
