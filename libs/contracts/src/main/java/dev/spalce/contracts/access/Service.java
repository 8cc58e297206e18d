package dev.spalce.contracts.access;

/**
 * The internal services, each with the token audience it alone accepts. A token minted for one (by the gateway
 * for a user's request, or by the identity provider for a service's call) is refused with 401 by every other,
 * so a token seen by one service cannot be replayed at another.
 */
public enum Service {
    EVIDENCE("spalce-evidence"),
    CRYPTO("spalce-crypto"),
    REWRAP("spalce-rewrap"),
    AUDIT("spalce-audit");

    private final String audience;

    Service(String audience) {
        this.audience = audience;
    }

    /** The {@code aud} of every token this service accepts, e.g. {@code spalce-crypto}. */
    public String audience() {
        return audience;
    }
}
