package dev.spalce.e2e;

import dev.spalce.testsupport.OidcTokens;
import java.time.Duration;

/**
 * A user's access token, fetched again when it is more than two minutes old: the local OIDC server issues 5-minute
 * tokens, and the long tests (rewrap at scale, the fault suite) run for longer.
 */
final class FreshToken {

    private final String username;
    private String token;
    private long fetchedAt;

    FreshToken(String username) {
        this.username = username;
    }

    /** The user's name (the token's subject). */
    String subject() {
        return username;
    }

    synchronized String get() {
        if (token == null
                || System.nanoTime() - fetchedAt > Duration.ofMinutes(2).toNanos()) {
            token = OidcTokens.user(username);
            fetchedAt = System.nanoTime();
        }
        return token;
    }
}
