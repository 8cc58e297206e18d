package dev.spalce.gateway.dashboard.service;

import dev.spalce.gateway.dashboard.config.DashboardConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * CSRF tokens of dashboard sessions: an HMAC-SHA256 over the session's subject and the issue time of its ID token,
 * under a key derived from the session secret. The page reads its token from {@code GET /app/session} (a
 * cross-site page cannot: same-origin policy) and sends it in {@value #HEADER} with every state change; nothing
 * is stored on the server. A refreshed session has a new ID token, hence a new token: the page asks again.
 */
@ApplicationScoped
public class CsrfTokens {

    public static final String HEADER = "X-CSRF-Token";

    private final SecretKeySpec key;

    public CsrfTokens(DashboardConfig config) {
        if (config.sessionSecret().length() < 32) {
            throw new IllegalStateException("spalce.dashboard.session-secret must have 32 characters or more");
        }
        // A key of its own, so that a CSRF token says nothing about the secret that encrypts the cookie.
        this.key = new SecretKeySpec(
                hmac(
                        new SecretKeySpec(config.sessionSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                        "spalce-dashboard-csrf-v1"),
                "HmacSHA256");
    }

    /** The token of the session whose ID token this is. */
    public String tokenFor(JsonWebToken idToken) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(hmac(key, idToken.getSubject() + "|" + idToken.getIssuedAtTime()));
    }

    /** Whether {@code offered} is this session's token (compared in constant time). */
    public boolean matches(JsonWebToken idToken, String offered) {
        return offered != null
                && MessageDigest.isEqual(
                        tokenFor(idToken).getBytes(StandardCharsets.US_ASCII),
                        offered.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
