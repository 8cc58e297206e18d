package dev.spalce.cryptoservice.access.model;

import dev.spalce.contracts.access.Permission;

/**
 * What a caller may be allowed to do here. Service identities are checked against each operation's allow-list
 * (spalce.crypto.access.*). A user whose request the gateway routes (its internal token names user, workspace and
 * role) may only use the key management operations, for that one workspace, with a role the one permission
 * matrix grants the operation's permission (docs/permissions.md: read-keys for Owner and Auditor, manage-keys for
 * Owner); the gateway has checked that already, and this is the second check.
 */
public enum Operation {
    /** Mint data keys: a fresh DEK, in plaintext and wrapped. Service identities only. */
    MINT("mint data keys", null),
    /** Unwrap data keys: plaintext DEKs from wrapped ones. Service identities only. */
    UNWRAP("unwrap data keys", null),
    /** Rewrap data keys to the current key version (the DEK is not returned). Service identities only. */
    REWRAP("rewrap data keys", null),
    /** Read a workspace's CMK: versions, states, rotation policy (no key material exists to read). */
    READ_KEYS("read customer master keys", Permission.READ_KEYS),
    /** Register a workspace's CMK, set its rotation policy, rotate it, change it for another key. */
    MANAGE_KEYS("manage customer master keys", Permission.MANAGE_KEYS),
    /** Mark old key versions retirable or retired. */
    RETIRE_VERSIONS("retire key versions", Permission.MANAGE_KEYS),
    /**
     * Detach the keys a workspace changed from, once no stored data key references them. Service identities only
     * (rewrap-worker, when a job has moved every data key): done too early, it would leave data keys unreadable.
     */
    DETACH_KEYS("detach previous keys", null),
    /**
     * Shred every key of a workspace being deleted: destroy the ones crypto-service created, detach the customer's.
     * The gateway's own identity only, once the deletion's grace period has passed; never a user directly.
     */
    SHRED_KEYS("shred a deleted workspace's keys", null);

    private final String description;
    private final Permission userPermission;

    Operation(String description, Permission userPermission) {
        this.description = description;
        this.userPermission = userPermission;
    }

    /** For error messages: "may not ..." */
    public String description() {
        return description;
    }

    /** The permission a user, through the gateway, needs for this; null: service identities only. */
    public Permission userPermission() {
        return userPermission;
    }
}
