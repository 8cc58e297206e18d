package dev.spalce.kit.api;

/** The shape of a workspace id in the internal services' paths. */
public final class WorkspaceIds {

    /**
     * 1 to 128 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit: what the gateway issues
     * (UUIDs, slugs). It becomes the tenant id of every associated data and wrap context and the key of every event.
     */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    private WorkspaceIds() {
    }
}
