package dev.spalce.crypto;

/**
 * Capability token that must be passed to every method that hands out raw key material.
 *
 * <p>Raw key bytes belong inside this library. The few places that legitimately need them (crypto-service
 * returning a freshly minted DEK over its internal TLS API, a KMS provider wrapping a DEK) call
 * {@code InsecureKeyAccess.get()} at the call site, so that every such place is visible in code review and
 * findable with a plain text search. The token grants nothing by itself; its name is the warning.
 */
public final class InsecureKeyAccess {

    private static final InsecureKeyAccess INSTANCE = new InsecureKeyAccess();

    private InsecureKeyAccess() {}

    /** Returns the token; each call site states, by calling this, that it handles raw key material. */
    public static InsecureKeyAccess get() {
        return INSTANCE;
    }
}
