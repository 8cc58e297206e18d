package dev.spalce.contracts.keys;

/**
 * Event types on {@link dev.spalce.contracts.Topic#KEYS} ({@code spalce.keys.v1}), as the CloudEvents {@code type}:
 * crypto-service produces the {@code cmk.*} events, and anyone allowed to write the topic may ask for a rewrap.
 * rewrap-worker consumes them all. Each event is keyed by its workspace id.
 */
public final class KeyEventType {

    /** A workspace's customer master key was registered: {@link CmkRegistered}. */
    public static final String CMK_REGISTERED = "cmk.registered";

    /** A workspace's customer master key has a new current version: {@link CmkRotated}. */
    public static final String CMK_ROTATED = "cmk.rotated";

    /**
     * A workspace's customer master key was replaced by another key (same provider or another): {@link CmkChanged}.
     * rewrap-worker starts a job moving every data key to the new key.
     */
    public static final String CMK_CHANGED = "cmk.changed";

    /** Move every data key of a workspace to one CMK version: {@link RewrapRequested}. */
    public static final String REWRAP_REQUESTED = "rewrap.requested";

    private KeyEventType() {}
}
