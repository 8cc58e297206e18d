package dev.spalce.cryptoservice.tenantkey.api;

import dev.spalce.cryptoservice.tenantkey.model.KeyVersionState;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyState;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;

/** The bodies of the tenant key management API. */
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

    /** @param state {@code enabled}, {@code retirable} or {@code retired} (final) */
    public record VersionStateRequest(@NotNull KeyVersionState state) {}

    /**
     * One CMK version.
     *
     * @param version the version number
     * @param kmsKeyId its id, as stored next to the DEKs it wrapped
     * @param state enabled, retirable or retired
     * @param createdAt when it was created (or registered)
     * @param stateChangedAt when its state last changed
     */
    public record VersionView(
            int version, String kmsKeyId, KeyVersionState state, Instant createdAt, Instant stateChangedAt) {
        static VersionView of(TenantKeyVersion row) {
            return new VersionView(row.version, row.kmsKeyId, row.state, row.createdAt, row.stateChangedAt);
        }
    }

    /**
     * A workspace's CMK: which key, which version is current, the rotation policy and every version. No key
     * material exists here to show.
     */
    public record CmkView(
            String workspaceId,
            String provider,
            String keyReference,
            boolean keyCreated,
            int currentVersion,
            String currentKmsKeyId,
            int rotationPeriodDays,
            Instant lastRotatedAt,
            Instant nextRotationAt,
            int rotationFailures,
            List<VersionView> versions) {
        static CmkView of(TenantKeyState state) {
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
                    state.versions().stream().map(VersionView::of).toList());
        }
    }
}
