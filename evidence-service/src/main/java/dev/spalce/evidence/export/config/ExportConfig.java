package dev.spalce.evidence.export.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Workspace exports (docs/export.md): the key that signs their manifests, and how they are paged. */
@ConfigMapping(prefix = "spalce.evidence.export")
public interface ExportConfig {

    /**
     * A PEM file holding the Ed25519 private key (PKCS#8) that signs export manifests, as the platform's secret
     * store mounts it. Takes precedence over {@link #signingKey()}.
     */
    Optional<String> signingKeyFile();

    /** The same key as PEM or base64 PKCS#8 DER, from an environment variable. */
    Optional<String> signingKey();

    /** Without a configured key, sign with one made at start-up (dev and tests only: its public key dies with it). */
    @WithDefault("false")
    boolean allowEphemeralKey();

    /** Records read from the database per query while an archive is written: the memory one page holds. */
    @WithDefault("200")
    int pageSize();

    /**
     * How long an instance holds an export it is writing or has queued without renewing its lease (it renews it
     * every third of this). An export whose lease runs out is taken over by another instance.
     */
    @WithDefault("2m")
    Duration lease();

    /** How often an instance renews the leases of the exports it holds: well within {@link #lease()}. */
    @WithDefault("40s")
    Duration leaseRenewEvery();

    /** How often each instance looks for exports whose lease has run out. */
    @WithDefault("30s")
    Duration takeoverEvery();

    /** Attempts at writing one archive, the first included; an export that needs more is failed. */
    @WithDefault("3")
    int maxAttempts();
}
