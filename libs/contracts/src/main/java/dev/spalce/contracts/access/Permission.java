package dev.spalce.contracts.access;

import java.util.Locale;

/** Something a member may be allowed to do in a workspace. The rows of docs/permissions.md. */
public enum Permission {
    READ_WORKSPACE,
    READ_EVIDENCE,
    UPLOAD_EVIDENCE,
    DELETE_EVIDENCE,
    MANAGE_INTEGRATIONS,
    READ_PERSONNEL,
    MANAGE_PERSONNEL,
    READ_KEYS,
    MANAGE_KEYS,
    READ_REWRAP_JOBS,
    TRIGGER_REWRAP,
    READ_AUDIT_LOG,
    EXPORT_WORKSPACE,
    MANAGE_MEMBERS,
    INVITE_AUDITORS,
    DELETE_WORKSPACE;

    /** The name in docs/permissions.md, e.g. {@code read-evidence}. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
