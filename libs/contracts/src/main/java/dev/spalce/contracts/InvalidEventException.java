package dev.spalce.contracts;

/** A message that is not a valid Spalce event; the message says which rule it broke, never the payload. */
public final class InvalidEventException extends RuntimeException {

    public InvalidEventException(String reason) {
        super(reason);
    }

    public InvalidEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
