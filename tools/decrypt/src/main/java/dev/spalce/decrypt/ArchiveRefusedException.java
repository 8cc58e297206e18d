package dev.spalce.decrypt;

/**
 * The archive is not what its signed manifest says, or a record or object does not decrypt: nothing of it is to be
 * trusted. The message names the entry or record; never a key.
 */
public final class ArchiveRefusedException extends RuntimeException {

    public ArchiveRefusedException(String message) {
        super(message);
    }

    public ArchiveRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
