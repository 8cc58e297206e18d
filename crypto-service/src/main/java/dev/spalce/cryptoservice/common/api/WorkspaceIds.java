package dev.spalce.cryptoservice.common.api;

/** The shape of a workspace id in crypto-service's paths. */
public final class WorkspaceIds {

    /**
     * 1 to 128 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit: what the gateway issues
     * (UUIDs, slugs). It becomes the tenant id of every wrap context and the key of every event.
     */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    private WorkspaceIds() {
    }
}
