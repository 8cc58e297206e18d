package dev.spalce.contracts.keys;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;

/**
 * The bodies of crypto-service's key API ({@link #PATH}) that a service reads or sends as well as users through the
 * gateway: rewrap-worker reads a workspace's CMK and marks old versions retirable. The requests only users send
 * (register, rotation policy) stay with crypto-service.
 */
public final class WorkspaceKeyApi {

    /** The path under a workspace. */
    public static final String PATH = "/internal/v1/workspaces/{workspace}/keys";

    private WorkspaceKeyApi() {}

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
            int version, String kmsKeyId, KeyVersionState state, Instant createdAt, Instant stateChangedAt) {}

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
            List<VersionView> versions) {}

    /**
     * rewrap-worker's request to detach the keys a workspace changed from ({@code POST …/key-detachments}).
     *
     * @param rewrappedTo the version of the current key every stored data key of the workspace is now on
     */
    public record DetachRequest(@NotBlank String rewrappedTo) {}

    /**
     * @param detached the previous keys detached by this request (none when there were none left), each without
     *     its versions (every one of them is retired now; the key view lists them)
     */
    public record DetachResult(List<FormerKeyView> detached) {}

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
            List<FormerKeyView> previousKeys) {}
}
