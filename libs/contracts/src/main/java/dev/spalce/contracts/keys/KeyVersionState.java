package dev.spalce.contracts.keys;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The lifecycle of one CMK version in crypto-service's registry, as its key API and its table name it. */
public enum KeyVersionState {
    /** Wraps new DEKs (if it is the current version) and unwraps. */
    ENABLED,
    /** Nothing should reference it any more (rewrap finished); it still unwraps, in case something does. */
    RETIRABLE,
    /** Unwraps nothing. Terminal. */
    RETIRED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether DEKs wrapped under a version in this state may be unwrapped or rewrapped. */
    public boolean unwraps() {
        return this != RETIRED;
    }

    /**
     * Parses the wire name.
     *
     * @throws IllegalArgumentException for anything else
     */
    @JsonCreator
    public static KeyVersionState fromWireName(String text) {
        for (KeyVersionState state : values()) {
            if (state.wireName().equals(text)) {
                return state;
            }
        }
        throw new IllegalArgumentException("state must be one of enabled, retirable, retired");
    }
}
