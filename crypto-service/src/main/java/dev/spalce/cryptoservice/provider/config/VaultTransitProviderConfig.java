package dev.spalce.cryptoservice.provider.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/** The {@code vault-transit} key provider: tenants' CMKs are keys of a HashiCorp Vault transit secrets engine. */
@ConfigMapping(prefix = "spalce.crypto.vault-transit")
public interface VaultTransitProviderConfig {

    /** Whether the provider is available. Off by default: it needs Vault's address and an auth method. */
    @WithDefault("false")
    boolean enabled();

    /** Vault's address, e.g. {@code https://vault.example.com:8200}. Required when enabled. */
    Optional<URI> address();

    /** The path the transit engine is mounted at. */
    @WithDefault("transit")
    String mount();

    /** The Vault Enterprise namespace of the mount ({@code X-Vault-Namespace}); unset for none. */
    Optional<String> namespace();

    /** How crypto-service logs in to Vault. */
    Auth auth();

    /** Timeouts, retries and the request budget. */
    RemoteCallConfig calls();

    /** Vault authentication. */
    interface Auth {

        /**
         * {@code kubernetes}: log in with the pod's service account token (no secret to distribute); {@code token}:
         * a Vault token given in {@link #token()}.
         */
        @WithDefault("kubernetes")
        String method();

        /** The Vault token for method {@code token}; set it through the environment (SPALCE_CRYPTO_VAULT_TRANSIT_AUTH_TOKEN). */
        Optional<String> token();

        /** The Vault role crypto-service's service account is bound to, for method {@code kubernetes}. */
        Optional<String> kubernetesRole();

        /** The path the Kubernetes auth method is mounted at. */
        @WithDefault("kubernetes")
        String kubernetesMount();

        /** The service account token file Kubernetes projects into the pod. */
        @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
        String serviceAccountTokenPath();
    }
}
