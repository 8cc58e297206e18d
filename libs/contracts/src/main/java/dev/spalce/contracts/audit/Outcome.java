package dev.spalce.contracts.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How an audited action ended. */
public enum Outcome {
    SUCCESS,
    /** Refused by authentication or authorization. */
    DENIED,
    /** Attempted and failed. */
    ERROR;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
