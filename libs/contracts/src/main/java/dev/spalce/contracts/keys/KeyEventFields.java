package dev.spalce.contracts.keys;

/** Validation shared by the key event payloads. */
final class KeyEventFields {

    private KeyEventFields() {}

    static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    static void requireVersion(int version, String field) {
        if (version < 1) {
            throw new IllegalArgumentException(field + " must be 1 or more");
        }
    }

    static void requirePresent(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
