package dev.spalce.contracts.access;

import java.util.Locale;

/** A member's role in one workspace. What each may do is {@link PermissionMatrix}, written down in docs/permissions.md. */
public enum Role {
    /** Created the workspace or was made owner: everything, including keys, members and the audit log. */
    OWNER,
    /** Does the compliance work: evidence, check results, integrations, personnel. */
    CONTRIBUTOR,
    /** Reads evidence and results. */
    VIEWER,
    /** An external auditor, invited for a limited time: reads evidence, keys' history and the audit log. */
    AUDITOR;

    /** The name in docs/permissions.md and in APIs, e.g. {@code Owner}. */
    public String title() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }
}
