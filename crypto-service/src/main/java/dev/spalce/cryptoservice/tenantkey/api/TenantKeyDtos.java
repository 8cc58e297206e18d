package dev.spalce.cryptoservice.tenantkey.api;

import dev.spalce.cryptoservice.tenantkey.model.KeyState;
import dev.spalce.cryptoservice.tenantkey.model.KeyVersionState;
import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyAdvice;
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

    /**
     * Change the workspace's CMK for another key.
     *
     * @param provider the new key's provider: the same as now or another one enabled on this deployment
     * @param keyReference an existing key of the provider; omit it to let the provider create one (local, pkcs11)
     */
    public record ChangeRequest(@NotBlank String provider, String keyReference) {}

    /** @param rewrappedTo the version of the current key every stored data key of the workspace is now on */
    public record DetachRequest(@NotBlank String rewrappedTo) {}

    /**
     * @param detached the previous keys detached by this request (none when there were none left), each without
     *     its versions (every one of them is retired now; the key view lists them)
     */
    public record DetachResult(List<FormerKeyView> detached) {}

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
     * A key the workspace changed from.
     *
     * @param provider its provider
     * @param keyReference its reference in that provider
     * @param state {@code previous} (still unwraps the data keys not moved yet: keep it enabled) or
     *     {@code detached} (nothing references it; Spalce never calls it again)
     * @param keyCreated whether crypto-service created it
     * @param lastKmsKeyId the version data keys were wrapped under when it was replaced
     * @param replacedAt when the change made it previous
     * @param detachedAt when it was detached, or null
     * @param disableAdvice for a detached key, that its owner may now disable it in their KMS; null while it is
     *     still needed
     * @param versions its versions (all retired once detached)
     */
    public record FormerKeyView(
            String provider,
            String keyReference,
            KeyState state,
            boolean keyCreated,
            String lastKmsKeyId,
            Instant replacedAt,
            Instant detachedAt,
            String disableAdvice,
            List<VersionView> versions) {
        static FormerKeyView of(TenantKey key, List<TenantKeyVersion> versions) {
            return new FormerKeyView(
                    key.provider,
                    key.keyReference,
                    key.state,
                    key.keyCreated,
                    key.currentKmsKeyId().toString(),
                    key.replacedAt,
                    key.detachedAt,
                    TenantKeyAdvice.disableAdvice(key),
                    versions.stream().map(VersionView::of).toList());
        }

        /** Views of {@code keys}, each with its versions as read in {@code state}. */
        static List<FormerKeyView> of(List<TenantKey> keys, TenantKeyState state) {
            return keys.stream().map(key -> of(key, state.versionsOf(key))).toList();
        }
    }

    /**
     * A workspace's CMK: which key, which version is current, the rotation policy and every version of it, and
     * the keys the workspace changed from. No key material exists here to show.
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
            List<VersionView> versions,
            List<FormerKeyView> previousKeys) {
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
                    state.versionsOf(key).stream().map(VersionView::of).toList(),
                    FormerKeyView.of(state.formerKeys(), state));
        }
    }
}
