package dev.spalce.contracts.access;

import static dev.spalce.contracts.access.Permission.DELETE_EVIDENCE;
import static dev.spalce.contracts.access.Permission.DELETE_WORKSPACE;
import static dev.spalce.contracts.access.Permission.INVITE_AUDITORS;
import static dev.spalce.contracts.access.Permission.MANAGE_INTEGRATIONS;
import static dev.spalce.contracts.access.Permission.MANAGE_KEYS;
import static dev.spalce.contracts.access.Permission.MANAGE_MEMBERS;
import static dev.spalce.contracts.access.Permission.MANAGE_PERSONNEL;
import static dev.spalce.contracts.access.Permission.READ_AUDIT_LOG;
import static dev.spalce.contracts.access.Permission.READ_EVIDENCE;
import static dev.spalce.contracts.access.Permission.READ_KEYS;
import static dev.spalce.contracts.access.Permission.READ_PERSONNEL;
import static dev.spalce.contracts.access.Permission.READ_REWRAP_JOBS;
import static dev.spalce.contracts.access.Permission.READ_WORKSPACE;
import static dev.spalce.contracts.access.Permission.TRIGGER_REWRAP;
import static dev.spalce.contracts.access.Permission.UPLOAD_EVIDENCE;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one place that decides what each role may do, for every API the gateway serves or routes. It is the
 * table in docs/permissions.md, and a test holds the two together row by row. Anything not listed is denied.
 */
public final class PermissionMatrix {

    private static final Map<Role, Set<Permission>> ALLOWED = new EnumMap<>(Map.of(
            Role.OWNER, EnumSet.allOf(Permission.class),
            Role.CONTRIBUTOR,
                    EnumSet.of(
                            READ_WORKSPACE,
                            READ_EVIDENCE,
                            UPLOAD_EVIDENCE,
                            MANAGE_INTEGRATIONS,
                            READ_PERSONNEL,
                            MANAGE_PERSONNEL),
            Role.VIEWER, EnumSet.of(READ_WORKSPACE, READ_EVIDENCE),
            // Read-only by construction: no permission that changes anything.
            Role.AUDITOR, EnumSet.of(READ_WORKSPACE, READ_EVIDENCE, READ_KEYS, READ_REWRAP_JOBS, READ_AUDIT_LOG)));

    static {
        // Guard the guard: an auditor must never be able to change anything.
        Set<Permission> changing = EnumSet.of(
                UPLOAD_EVIDENCE,
                DELETE_EVIDENCE,
                MANAGE_INTEGRATIONS,
                MANAGE_PERSONNEL,
                MANAGE_KEYS,
                TRIGGER_REWRAP,
                MANAGE_MEMBERS,
                INVITE_AUDITORS,
                DELETE_WORKSPACE);
        if (ALLOWED.get(Role.AUDITOR).stream().anyMatch(changing::contains)) {
            throw new IllegalStateException("the Auditor role must stay read-only");
        }
    }

    private PermissionMatrix() {}

    public static boolean allows(Role role, Permission permission) {
        return ALLOWED.get(role).contains(permission);
    }
}
