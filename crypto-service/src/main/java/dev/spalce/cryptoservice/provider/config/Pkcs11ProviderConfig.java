package dev.spalce.cryptoservice.provider.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** The {@code pkcs11} key provider: CMKs in an HSM, through Java's SunPKCS11. */
@ConfigMapping(prefix = "spalce.crypto.pkcs11")
public interface Pkcs11ProviderConfig {

    /** Whether the provider is available. */
    @WithDefault("false")
    boolean enabled();

    /** The HSM vendor's PKCS#11 module (a shared library file). Required when enabled. */
    Optional<String> library();

    /** The token's slot id. Give this or {@link #slotListIndex()}; neither means list index 0. */
    OptionalLong slot();

    /** The token's index in the module's slot list, instead of {@link #slot()}. */
    OptionalInt slotListIndex();

    /** The token user's PIN. Required when enabled; set it through the environment ({@code SPALCE_CRYPTO_PKCS11_PIN}). */
    Optional<String> pin();
}
