package dev.spalce.kit.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a bearer token was verified into, remembered for a short while so that a caller sending the same token on
 * every request pays for one signature check and claims parse, not one per request.
 *
 * <p>An entry is found only by the very same token (its SHA-256; a token differing in any character, a forged
 * signature included, is another key and is verified in full) under the same OIDC tenant, and only until the
 * earlier of the token's own expiry and {@code longestReuse}. Reusing a verification until then grants nothing a
 * new one would refuse: tokens are verified locally, with no revocation check, so a token is valid until it
 * expires either way; the bound only limits how long a verification outlives a signing key the provider has
 * withdrawn. The memo is bounded: past {@code maxEntries} the expired entries go, and if that is not enough, all
 * of them (a bound, not an eviction policy). Plain Java, so that it is tested without a container.
 *
 * @param <V> what a verification produced (a {@code SecurityIdentity} in the services)
 */
public final class VerifiedTokenMemo<V> {

    private final int maxEntries;
    private final Duration longestReuse;
    private final InstantSource clock;
    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();

    private record Entry<V>(V verified, Instant reusableUntil) {}

    /** A memo of at most {@code maxEntries} tokens (0: remembers none), each for at most {@code longestReuse}. */
    public VerifiedTokenMemo(int maxEntries, Duration longestReuse, InstantSource clock) {
        if (maxEntries < 0 || longestReuse.isNegative()) {
            throw new IllegalArgumentException("maxEntries and longestReuse must not be negative");
        }
        this.maxEntries = maxEntries;
        this.longestReuse = longestReuse;
        this.clock = clock;
    }

    /** Whether anything is ever remembered. */
    public boolean enabled() {
        return maxEntries > 0 && !longestReuse.isZero();
    }

    /** What {@code token} was verified into under {@code tenant}, if that verification may still be reused. */
    public Optional<V> find(String tenant, String token) {
        if (!enabled()) {
            return Optional.empty();
        }
        String key = key(tenant, token);
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.reusableUntil())) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.verified());
    }

    /**
     * Remembers that {@code token}, which expires at {@code expiresAt}, was verified under {@code tenant} into
     * {@code verified}. A token already expired, or without an expiry, is not remembered.
     */
    public void remember(String tenant, String token, Instant expiresAt, V verified) {
        if (!enabled() || expiresAt == null) {
            return;
        }
        Instant now = clock.instant();
        Instant until = now.plus(longestReuse);
        if (expiresAt.isBefore(until)) {
            until = expiresAt;
        }
        if (!now.isBefore(until)) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(entry -> !now.isBefore(entry.reusableUntil()));
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key(tenant, token), new Entry<>(verified, until));
    }

    /** How many tokens are remembered now (expired ones included until they are next looked up or swept). */
    public int size() {
        return entries.size();
    }

    /** The tenant and the token's SHA-256: the memo never holds a token as a key. */
    private static String key(String tenant, String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return tenant + ' ' + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", impossible);
        }
    }
}
