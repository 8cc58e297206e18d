package dev.spalce.cryptoservice.provider.service;

import java.util.Collection;

/**
 * The local keystore is a development default, not a KMS: crypto-service refuses to start in the prod profile
 * while it is enabled, unless an operator has accepted it explicitly.
 */
public final class LocalProviderGuard {

    private LocalProviderGuard() {}

    /**
     * @param activeProfiles the active configuration profiles
     * @param localEnabled {@code spalce.crypto.local.enabled}
     * @param allowedInProd {@code spalce.crypto.local.allow-in-prod}
     * @throws IllegalStateException if the prod profile is active and the local provider is enabled without
     *     being allowed
     */
    public static void check(Collection<String> activeProfiles, boolean localEnabled, boolean allowedInProd) {
        if (localEnabled && !allowedInProd && activeProfiles.contains("prod")) {
            throw new IllegalStateException("the local key provider keeps CMKs in a file on this service's disk and "
                    + "is refused in the prod profile: configure a KMS provider and set spalce.crypto.local.enabled="
                    + "false, or accept the risk with spalce.crypto.local.allow-in-prod=true");
        }
    }
}
