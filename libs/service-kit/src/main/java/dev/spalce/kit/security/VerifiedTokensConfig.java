package dev.spalce.kit.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long a bearer token's verification is reused ({@link VerifiedTokenMemo}). */
@ConfigMapping(prefix = "spalce.verified-tokens")
public interface VerifiedTokensConfig {

    /** Tokens remembered at most; 0 turns reuse off, and every request's token is verified in full. */
    @WithDefault("10000")
    int maxEntries();

    /** The longest a verification is reused, however long the token itself lives. */
    @WithDefault("60s")
    Duration longestReuse();
}
