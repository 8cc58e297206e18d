package dev.spalce.contracts.keys;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where one of a workspace's master keys stands; see {@code V3__key_changes.sql}. */
public enum KeyState {
    /** Wraps new DEKs and unwraps. Exactly one key of a workspace is current. */
    CURRENT,
    /** Replaced by a change of key; still unwraps the DEKs a rewrap job has not moved yet. */
    PREVIOUS,
    /** No stored DEK references it: unwraps nothing and is never called again; its owner may disable it. */
    DETACHED,
    /**
     * Its workspace was deleted and Spalce created the key (local, pkcs11): every version's material is destroyed,
     * and nothing it wrapped can be unwrapped by anyone (docs/deletion.md).
     */
    DESTROYED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name; anything else is an {@link IllegalArgumentException}. */
    public static KeyState fromWireName(String text) {
        for (KeyState state : values()) {
            if (state.wireName().equals(text)) {
                return state;
            }
        }
        throw new IllegalArgumentException("key state must be one of current, previous, detached, destroyed");
    }
}
