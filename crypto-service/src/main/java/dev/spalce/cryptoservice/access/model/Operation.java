package dev.spalce.cryptoservice.access.model;

import java.util.Set;

/**
 * What a caller may be allowed to do here. Service identities are checked against each operation's allow-list
 * (spalce.crypto.access.*). A user whose request the gateway routes (its internal token names user, workspace and
 * role) may only use the key management operations, for that one workspace, with a role the gateway's
 * permission matrix grants them (docs/permissions.md: read-keys for Owner and Auditor, manage-keys for Owner); the
 * gateway has checked that already, and this is the second check.
 */
public enum Operation {
    /** Mint data keys: a fresh DEK, in plaintext and wrapped. Service identities only. */
    MINT("mint data keys", Set.of()),
    /** Unwrap data keys: plaintext DEKs from wrapped ones. Service identities only. */
    UNWRAP("unwrap data keys", Set.of()),
    /** Rewrap data keys to the current key version (the DEK is not returned). Service identities only. */
    REWRAP("rewrap data keys", Set.of()),
    /** Read a workspace's CMK: versions, states, rotation policy (no key material exists to read). */
    READ_KEYS("read customer master keys", Set.of("OWNER", "AUDITOR")),
    /** Register a workspace's CMK, set its rotation policy, rotate it. */
    MANAGE_KEYS("manage customer master keys", Set.of("OWNER")),
    /** Mark old key versions retirable or retired. */
    RETIRE_VERSIONS("retire key versions", Set.of("OWNER"));

    private final String description;
    private final Set<String> gatewayRoles;

    Operation(String description, Set<String> gatewayRoles) {
        this.description = description;
        this.gatewayRoles = gatewayRoles;
    }

    /** For error messages: "may not ..." */
    public String description() {
        return description;
    }

    /** The workspace roles with which a user, through the gateway, may do this; empty: services only. */
    public Set<String> gatewayRoles() {
        return gatewayRoles;
    }
}
