package dev.spalce.contracts.keys;

/**
 * Event types on {@link dev.spalce.contracts.Topic#KEYS} ({@code spalce.keys.v1}) that crypto-service produces, as
 * the CloudEvents {@code type}. Each event is keyed by its workspace id.
 */
public final class KeyEventType {

    /** A workspace's customer master key was registered: {@link CmkRegistered}. */
    public static final String CMK_REGISTERED = "cmk.registered";

    /** A workspace's customer master key has a new current version: {@link CmkRotated}. */
    public static final String CMK_ROTATED = "cmk.rotated";

    private KeyEventType() {
    }
}
