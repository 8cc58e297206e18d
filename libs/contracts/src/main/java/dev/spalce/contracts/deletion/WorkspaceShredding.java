package dev.spalce.contracts.deletion;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;

/**
 * The internal calls with which the gateway deletes a workspace once its grace period has passed (docs/deletion.md),
 * in this order: crypto-service shreds its keys ({@link #KEYS_PATH}), evidence-service deletes its rows and objects
 * ({@link #DATA_PATH}), audit-log-service seals its chain ({@link #SEAL_PATH}). Each is for the gateway's own
 * service identity only, never routed to a user, and idempotent: the gateway repeats a step until it succeeds.
 */
public final class WorkspaceShredding {

    /** crypto-service: destroy the keys Spalce created, detach the customer's. */
    public static final String KEYS_PATH = "/internal/v1/workspaces/{workspace}/key-shredding";

    /** evidence-service: delete every row and object of the workspace. */
    public static final String DATA_PATH = "/internal/v1/workspaces/{workspace}/data-purge";

    /** audit-log-service: append the final {@code workspace.deleted} entry and refuse any later event. */
    public static final String SEAL_PATH = "/internal/v1/workspaces/{workspace}/audit-seal";

    /** What was done with a key: its material destroyed (local, pkcs11) or Spalce's use of it ended (customer's). */
    public static final String DESTROYED = "destroyed";

    public static final String DETACHED = "detached";

    private WorkspaceShredding() {}

    /**
     * One of the workspace's keys after shredding.
     *
     * @param provider its provider
     * @param keyReference its reference in that provider (no key material)
     * @param disposition {@link #DESTROYED} or {@link #DETACHED}
     * @param versions how many versions the registry knew (each destroyed, or retired)
     * @param disableAdvice for a detached customer key, what its owner must do in their KMS; null when destroyed
     */
    public record ShreddedKey(
            String provider, String keyReference, String disposition, int versions, String disableAdvice) {}

    /** @param keys every key the workspace ever had, after shredding (the same list on a repeated call) */
    public record KeyShreddingResult(List<ShreddedKey> keys) {}

    /**
     * @param rowsDeleted rows deleted by this call, per table (a repeated call deletes none)
     * @param objectsDeleted objects deleted from the evidence bucket by this call
     */
    public record DataPurgeResult(Map<String, Long> rowsDeleted, long objectsDeleted) {}

    /**
     * @param actor who requested the deletion, as the audit log names actors ({@code user:<subject>})
     * @param details what was destroyed, detached and deleted: the final entry's details (no secret, no key material)
     */
    public record SealRequest(
            @NotBlank String actor, @NotNull Map<String, String> details) {}

    /**
     * @param seq the final entry's position in the chain
     * @param entryHash its hash (hex), which the next checkpoint signs
     */
    public record SealResult(long seq, String entryHash) {}
}
