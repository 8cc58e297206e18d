package dev.spalce.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "spalce.gateway")
public interface GatewayConfig {

    /** The tokens the gateway signs to call the internal services for a user. */
    InternalToken internalToken();

    /** Calls to the internal services. */
    Downstream downstream();

    /**
     * How long an authorization decision's membership read is reused for the same user and workspace: a change
     * of role or a removal takes effect within it. 0 reads the membership on every request.
     */
    @WithDefault("2s")
    Duration accessMemo();

    /**
     * The largest body a request to the gateway's own endpoints may carry, in bytes: they take small JSON
     * documents. Routed requests (evidence uploads) are limited by the service they reach.
     */
    @WithDefault("1048576")
    long maxJsonBodyBytes();

    /**
     * The largest JSON body (a {@code Content-Type} of {@code application/json} or {@code *+json}) the gateway routes
     * to an internal service, in bytes; a larger one, or one sent without a length, is refused here with 413. The
     * default fits the largest document the API takes: a batch of 500 check results with 64 KiB of details each.
     * Other bodies (evidence files) are limited by the service they reach.
     */
    @WithDefault("50331648")
    long maxRoutedJsonBodyBytes();

    /**
     * How often an open rewrap progress stream re-checks its viewer's access (at most 60 s): a removed member, an
     * auditor whose access ended or an expired token loses the stream within this period, and at once when the
     * membership changes through this gateway instance.
     */
    @WithDefault("30s")
    Duration progressReauthorizeEvery();

    /**
     * The window in which one actor's reads of one resource from one address are counted into one
     * {@code resource.read} audit event (1 s to 1 h). Its event is written once the window has closed, within
     * {@code spalce.gateway.read-audit-flush-every} (10 s by default).
     */
    @WithDefault("60s")
    Duration readAuditWindow();

    /** How often the closed read windows are turned into audit events ({@code ReadAudit}). */
    @WithDefault("10s")
    Duration readAuditFlushEvery();

    /**
     * How long after an Owner asks for a workspace's deletion it is purged (docs/deletion.md): meanwhile it takes no
     * changes, can still be read and exported, and the deletion can be cancelled.
     */
    @WithDefault("7d")
    Duration workspaceDeletionGrace();

    /**
     * How often the gateway looks for workspaces whose grace period has passed, or whose purge stopped, and purges
     * them; also how long a purge that failed waits before it is tried again.
     */
    @WithDefault("30s")
    Duration workspaceDeletionCheckEvery();

    /**
     * How long one call of a purge to crypto-service, evidence-service or audit-log-service may take: deleting a
     * large workspace's objects takes a while. A call that times out is repeated on a later run (they are idempotent).
     */
    @WithDefault("10m")
    Duration purgeCallTimeout();

    interface InternalToken {

        /** How long an internal token is valid: one request's worth, 60 seconds at most. */
        @WithDefault("60s")
        Duration lifetime();

        /**
         * The RS256 signing key (RSA, 2048 bits or more), PKCS#8 DER in base64. Required unless an ephemeral key is allowed. Its
         * public key is {@code spalce.internal-token.public-key}, which every internal service is given too.
         */
        Optional<String> privateKey();

        /** Without a configured key, sign with one generated at start-up (local runtime and tests only). */
        @WithDefault("false")
        boolean allowEphemeralKey();
    }

    interface Downstream {

        /** How long to wait for an internal service to accept a connection. */
        @WithDefault("3s")
        Duration connectTimeout();

        /** How long a routed request may stay silent (no byte either way) before it is abandoned. */
        @WithDefault("120s")
        Duration idleTimeout();
    }
}
