package dev.spalce.contracts.keys;

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
            List<VersionView> versions) {}
}
