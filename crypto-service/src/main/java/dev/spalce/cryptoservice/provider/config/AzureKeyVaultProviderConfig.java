package dev.spalce.cryptoservice.provider.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The {@code azure-kv} key provider: tenants' CMKs are RSA keys in Azure Key Vault (or a Managed HSM), through the
 * Azure Key Vault Keys SDK. Spalce signs in to Microsoft Entra ID as one application (client credentials: a
 * workload identity federated token, or a client secret), which each customer grants access to their key.
 */
@ConfigMapping(prefix = "spalce.crypto.azure-kv")
public interface AzureKeyVaultProviderConfig {

    /** Whether the provider is available. Off by default: it needs an Entra ID application. */
    @WithDefault("false")
    boolean enabled();

    /**
     * The DNS domains a registered key's vault may be in: a key reference whose host is not one of them, or a
     * subdomain of one, is refused, so that Spalce's access token is only ever sent to Key Vault. The public
     * cloud's by default; sovereign clouds have their own (e.g. {@code vault.azure.cn},
     * {@code vault.usgovcloudapi.net}).
     */
    @WithDefault("vault.azure.net,managedhsm.azure.net")
    List<String> vaultDomains();

    /**
     * Skips the SDK's check that the resource of Key Vault's authentication challenge matches the vault's host.
     * Azure documents it for vaults reached through a private endpoint or custom domain whose host is not a
     * subdomain of the resource; leave it off otherwise. {@link #vaultDomains()} still applies.
     */
    @WithDefault("false")
    boolean disableChallengeResourceVerification();

    /**
     * A PEM file of the CA certificates to trust for TLS to Key Vault and to the Entra ID token endpoint, instead
     * of the JVM's default trust store: for endpoints behind a private CA. Unset: the JVM's trust store.
     */
    Optional<String> trustCertificates();

    /** How crypto-service signs in to Microsoft Entra ID. */
    Auth auth();

    /** Timeouts, retries and the request budget. */
    RemoteCallConfig calls();

    /** Microsoft Entra ID client credentials (OAuth 2.0 client credentials grant, v2.0 token endpoint). */
    interface Auth {

        /** The Entra ID authority host; another for sovereign clouds (e.g. {@code https://login.chinacloudapi.cn}). */
        @WithDefault("https://login.microsoftonline.com")
        URI authorityHost();

        /** Spalce's home tenant (directory) id. Required when enabled. */
        Optional<String> tenantId();

        /** The application (client) id Spalce signs in as. Required when enabled. */
        Optional<String> clientId();

        /**
         * A file holding a federated token to present as client assertion (AKS workload identity projects one and
         * names it in AZURE_FEDERATED_TOKEN_FILE): no secret to distribute. Takes precedence over the secret.
         */
        Optional<String> federatedTokenFile();

        /** The application's client secret, if no federated token file is used; set it through the environment. */
        Optional<String> clientSecret();

        /**
         * Further tenants the application may get tokens in: the customers' tenants whose vaults hold their keys
         * (Key Vault's challenge names the vault's tenant). {@code *} allows any tenant. Unset: the home tenant only.
         */
        Optional<List<String>> additionallyAllowedTenants();
    }
}
