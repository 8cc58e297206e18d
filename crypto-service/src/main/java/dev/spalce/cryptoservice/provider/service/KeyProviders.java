package dev.spalce.cryptoservice.provider.service;

import dev.spalce.cryptoservice.provider.config.AwsKmsProviderConfig;
import dev.spalce.cryptoservice.provider.config.AzureKeyVaultProviderConfig;
import dev.spalce.cryptoservice.provider.config.GcpKmsProviderConfig;
import dev.spalce.cryptoservice.provider.config.LocalProviderConfig;
import dev.spalce.cryptoservice.provider.config.Pkcs11ProviderConfig;
import dev.spalce.cryptoservice.provider.config.RemoteCallConfig;
import dev.spalce.cryptoservice.provider.config.VaultTransitProviderConfig;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.keyproviders.aws.AwsKmsKeyProvider;
import dev.spalce.keyproviders.azure.AzureKeyVaultKeyProvider;
import dev.spalce.keyproviders.azure.EntraClientCredential;
import dev.spalce.keyproviders.gcp.GcpKmsKeyProvider;
import dev.spalce.keyproviders.local.LocalKeyProvider;
import dev.spalce.keyproviders.pkcs11.Pkcs11KeyProvider;
import dev.spalce.keyproviders.remote.KmsCalls;
import dev.spalce.keyproviders.vault.VaultAuth;
import dev.spalce.keyproviders.vault.VaultHttp;
import dev.spalce.keyproviders.vault.VaultTransitKeyProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The key providers this instance serves, by id. Built at start-up, so that a provider that cannot open (a wrong
 * passphrase, library, slot or PIN) stops the service instead of failing requests later.
 *
 * <p>{@code local}, {@code pkcs11} and the remote KMS providers ({@code aws-kms}, {@code vault-transit}, {@code azure-kv}, {@code gcp-kms}) are built here from their
 * configuration; each remote provider gets its own request budget, retry policy and metrics ({@link KmsCalls}).
 * Any other provider is a CDI bean implementing {@link KeyProvider}.
 */
@Singleton
@Startup
public class KeyProviders {

    private static final Logger LOG = Logger.getLogger(KeyProviders.class);

    private final Map<String, KeyProvider> byId;

    public KeyProviders(
            LocalProviderConfig local,
            Pkcs11ProviderConfig pkcs11,
            AwsKmsProviderConfig awsKms,
            VaultTransitProviderConfig vaultTransit,
            AzureKeyVaultProviderConfig azureKv,
            GcpKmsProviderConfig gcpKms,
            MeterRegistry metrics,
            @Any Instance<KeyProvider> beans) {
        LocalProviderGuard.check(ConfigUtils.getProfiles(), local.enabled(), local.allowInProd());
        Map<String, KeyProvider> providers = new LinkedHashMap<>();
        if (local.enabled()) {
            add(providers, openLocal(local));
        }
        if (pkcs11.enabled()) {
            add(providers, openPkcs11(pkcs11));
        }
        if (awsKms.enabled()) {
            add(providers, openAwsKms(awsKms, metrics));
        }
        if (vaultTransit.enabled()) {
            add(providers, openVaultTransit(vaultTransit, metrics));
        }
        if (azureKv.enabled()) {
            add(providers, openAzureKv(azureKv, metrics));
        }
        if (gcpKms.enabled()) {
            RemoteCallConfig calls = gcpKms.calls();
            add(
                    providers,
                    new GcpKmsKeyProvider(
                            gcpKms.endpoint(),
                            GcpKmsKeyProvider.credentials(
                                    gcpKms.credentialsFile().map(Path::of)),
                            calls.attemptTimeout(),
                            remoteCalls(GcpKmsKeyProvider.ID, calls, metrics)));
        }
        for (KeyProvider bean : beans) {
            add(providers, bean);
        }
        this.byId = Collections.unmodifiableMap(providers);
        LOG.infof("key providers enabled: %s", byId.keySet());
    }

    /** The provider with this id, if this instance serves it. */
    public Optional<KeyProvider> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The ids of every provider this instance serves. */
    public Set<String> ids() {
        return byId.keySet();
    }

    @PreDestroy
    void close() {
        byId.values().forEach(provider -> {
            try {
                provider.close();
            } catch (RuntimeException e) {
                LOG.warnf(
                        "key provider %s did not close cleanly: %s",
                        provider.id(), e.getClass().getName());
            }
        });
    }

    private static void add(Map<String, KeyProvider> providers, KeyProvider provider) {
        if (providers.putIfAbsent(provider.id(), provider) != null) {
            throw new IllegalStateException("two key providers have the id " + provider.id());
        }
    }

    private static KeyProvider openLocal(LocalProviderConfig config) {
        String path = config.keystorePath()
                .orElseThrow(() -> new IllegalStateException(
                        "spalce.crypto.local.keystore-path is required while the local key provider is enabled"));
        String passphrase = config.passphrase()
                .orElseThrow(() -> new IllegalStateException(
                        "spalce.crypto.local.passphrase (SPALCE_CRYPTO_LOCAL_PASSPHRASE) is required while the local key "
                                + "provider is enabled"));
        char[] chars = passphrase.toCharArray();
        try {
            return LocalKeyProvider.open(Path.of(path), chars);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    private static KeyProvider openAwsKms(AwsKmsProviderConfig config, MeterRegistry metrics) {
        String region = config.region()
                .orElseThrow(() -> new IllegalStateException(
                        "spalce.crypto.aws-kms.region is required while the aws-kms key provider is enabled"));
        RemoteCallConfig calls = config.calls();
        // The default chain: IRSA (web identity) on Kubernetes, the task role on ECS; never static keys here.
        return new AwsKmsKeyProvider(
                AwsKmsKeyProvider.client(
                        region,
                        config.endpointOverride(),
                        DefaultCredentialsProvider.builder().build(),
                        calls.attemptTimeout()),
                remoteCalls(AwsKmsKeyProvider.ID, calls, metrics));
    }

    private static KeyProvider openVaultTransit(VaultTransitProviderConfig config, MeterRegistry metrics) {
        java.net.URI address = config.address()
                .orElseThrow(
                        () -> new IllegalStateException(
                                "spalce.crypto.vault-transit.address is required while the vault-transit key provider is enabled"));
        VaultTransitProviderConfig.Auth auth = config.auth();
        VaultAuth login = switch (auth.method()) {
            case "token" ->
                VaultAuth.token(auth.token()
                        .orElseThrow(() -> new IllegalStateException(
                                "spalce.crypto.vault-transit.auth.token (SPALCE_CRYPTO_VAULT_TRANSIT_AUTH_TOKEN) is required "
                                        + "with auth method token")));
            case "kubernetes" ->
                VaultAuth.kubernetes(
                        auth.kubernetesMount(),
                        auth.kubernetesRole()
                                .orElseThrow(() -> new IllegalStateException(
                                        "spalce.crypto.vault-transit.auth.kubernetes-role is required "
                                                + "with auth method kubernetes")),
                        Path.of(auth.serviceAccountTokenPath()),
                        java.time.Clock.systemUTC());
            default ->
                throw new IllegalStateException(
                        "spalce.crypto.vault-transit.auth.method is token or kubernetes, not " + auth.method());
        };
        return new VaultTransitKeyProvider(
                new VaultHttp(address, config.namespace(), config.calls().attemptTimeout()),
                login,
                config.mount(),
                remoteCalls(VaultTransitKeyProvider.ID, config.calls(), metrics));
    }

    private static KeyProvider openAzureKv(AzureKeyVaultProviderConfig config, MeterRegistry metrics) {
        AzureKeyVaultProviderConfig.Auth auth = config.auth();
        String tenant = auth.tenantId()
                .orElseThrow(
                        () -> new IllegalStateException(
                                "spalce.crypto.azure-kv.auth.tenant-id is required while the azure-kv key provider is enabled"));
        String client = auth.clientId()
                .orElseThrow(
                        () -> new IllegalStateException(
                                "spalce.crypto.azure-kv.auth.client-id is required while the azure-kv key provider is enabled"));
        EntraClientCredential.Secret secret = auth.federatedTokenFile()
                .<EntraClientCredential.Secret>map(
                        file -> new EntraClientCredential.Secret.FederatedTokenFile(Path.of(file)))
                .or(() -> auth.clientSecret().map(EntraClientCredential.Secret.ClientSecret::new))
                .orElseThrow(() -> new IllegalStateException("spalce.crypto.azure-kv.auth.federated-token-file or "
                        + ".client-secret (SPALCE_CRYPTO_AZURE_KV_AUTH_CLIENT_SECRET) is required while the azure-kv "
                        + "key provider is enabled"));
        RemoteCallConfig calls = config.calls();
        com.azure.core.http.HttpClient http =
                AzureKeyVaultKeyProvider.httpClient(config.trustCertificates().map(Path::of), calls.attemptTimeout());
        EntraClientCredential credential = new EntraClientCredential(
                http,
                auth.authorityHost(),
                tenant,
                client,
                secret,
                Set.copyOf(auth.additionallyAllowedTenants().orElse(java.util.List.of())));
        return new AzureKeyVaultKeyProvider(
                new AzureKeyVaultKeyProvider.Connection(
                        http, credential, !config.disableChallengeResourceVerification()),
                config.vaultDomains(),
                calls.attemptTimeout(),
                remoteCalls(AzureKeyVaultKeyProvider.ID, calls, metrics));
    }

    private static KmsCalls remoteCalls(String providerId, RemoteCallConfig config, MeterRegistry metrics) {
        return KmsCalls.of(
                providerId,
                RemoteCallConfig.policy(config),
                RequestBudget.of(config.requestsPerSecond(), config.burst()),
                metrics);
    }

    private static KeyProvider openPkcs11(Pkcs11ProviderConfig config) {
        String library = config.library()
                .orElseThrow(() -> new IllegalStateException(
                        "spalce.crypto.pkcs11.library is required while the pkcs11 key provider is enabled"));
        String pin = config.pin()
                .orElseThrow(
                        () -> new IllegalStateException(
                                "spalce.crypto.pkcs11.pin (SPALCE_CRYPTO_PKCS11_PIN) is required while the pkcs11 key provider is enabled"));
        char[] chars = pin.toCharArray();
        try {
            return Pkcs11KeyProvider.open(
                    new Pkcs11KeyProvider.Token(Path.of(library), config.slot(), config.slotListIndex()), chars);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }
}
