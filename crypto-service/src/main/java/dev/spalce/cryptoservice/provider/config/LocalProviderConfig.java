package dev.spalce.cryptoservice.provider.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The {@code local} key provider: CMKs in a passphrase-protected PKCS#12 file. */
@ConfigMapping(prefix = "spalce.crypto.local")
public interface LocalProviderConfig {

    /** Whether the provider is available. The embedded default; in the prod profile see {@link #allowInProd()}. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The keystore file; created, with its directory, on the first key. Required when enabled. Back it up: losing
     * it loses every DEK wrapped under its keys.
     */
    Optional<String> keystorePath();

    /**
     * The passphrase protecting the keystore (at least 16 characters; use a long random one). Required when
     * enabled; set it through the environment ({@code SPALCE_CRYPTO_LOCAL_PASSPHRASE}), never in a file.
     */
    Optional<String> passphrase();

    /**
     * Whether the prod profile may use the provider. False by default: crypto-service then refuses to start in
     * prod while the provider is enabled, because a key file on the service's own disk is no KMS.
     */
    @WithDefault("false")
    boolean allowInProd();
}
