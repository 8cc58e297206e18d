package dev.spalce.cryptoservice.provider.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/**
 * The {@code gcp-kms} key provider: tenants' CMKs are symmetric Cloud KMS keys, through Cloud KMS's REST API with
 * Google's credentials library (Application Default Credentials unless a credentials file is named).
 */
@ConfigMapping(prefix = "spalce.crypto.gcp-kms")
public interface GcpKmsProviderConfig {

    /** Whether the provider is available. Off by default: it needs Google credentials. */
    @WithDefault("false")
    boolean enabled();

    /**
     * Cloud KMS's REST endpoint; another for a Private Service Connect endpoint or a regional endpoint
     * (e.g. {@code https://cloudkms.europe-west1.rep.googleapis.com}).
     */
    @WithDefault("https://cloudkms.googleapis.com")
    URI endpoint();

    /**
     * A Google credentials file (a service account key or an external account / workload identity federation
     * configuration). Unset: Application Default Credentials (GKE workload identity, the metadata server, or
     * GOOGLE_APPLICATION_CREDENTIALS), which need no key file at all.
     */
    Optional<String> credentialsFile();

    /** Timeouts, retries and the request budget. */
    RemoteCallConfig calls();
}
