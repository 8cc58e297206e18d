package dev.spalce.keyproviders.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * The KMS test servers the {@code @QuarkusTest}s share, one per remote provider, started once per JVM on loopback,
 * and the configuration that points crypto-service at them (endpoints only: the providers do not know they talk to
 * test servers).
 */
public final class KmsTestServers {

    private static AwsKmsTestServer aws;
    private static VaultTransitTestServer vault;
    private static AzureKeyVaultTestServer azure;
    private static GcpKmsTestServer gcp;

    private KmsTestServers() {}

    /** Starts the servers (once) and returns crypto-service's configuration for them. */
    public static synchronized Map<String, String> start() {
        if (aws == null) {
            aws = AwsKmsTestServer.start();
            vault = VaultTransitTestServer.start();
            azure = AzureKeyVaultTestServer.start();
            gcp = GcpKmsTestServer.start();
        }
        // The AWS SDK's default credential chain reads these system properties first. Example keys from AWS's docs.
        System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        Map<String, String> config = new HashMap<>();
        // Each remote provider on, through its real client, against its local stand-in.
        config.put("spalce.crypto.aws-kms.enabled", "true");
        config.put("spalce.crypto.vault-transit.enabled", "true");
        config.put("spalce.crypto.vault-transit.auth.method", "token");
        config.put("spalce.crypto.azure-kv.enabled", "true");
        config.put("spalce.crypto.azure-kv.disable-challenge-resource-verification", "true");
        config.put("spalce.crypto.gcp-kms.enabled", "true");
        config.put("spalce.crypto.aws-kms.endpoint-override", aws.endpoint().toString());
        config.put("spalce.crypto.aws-kms.region", AwsKmsTestServer.REGION);
        config.put("spalce.crypto.vault-transit.address", vault.address().toString());
        config.put("spalce.crypto.vault-transit.auth.token", VaultTransitTestServer.ROOT_TOKEN);
        // Key Vault and its token endpoint on 127.0.0.1 over TLS, with a certificate the provider trusts through
        // its own setting.
        config.put("spalce.crypto.azure-kv.vault-domains", "127.0.0.1");
        config.put(
                "spalce.crypto.azure-kv.trust-certificates",
                LoopbackTls.get().caCertificates().toString());
        config.put(
                "spalce.crypto.azure-kv.auth.authority-host", azure.vaultUrl().toString());
        config.put("spalce.crypto.azure-kv.auth.tenant-id", AzureKeyVaultTestServer.TENANT);
        config.put("spalce.crypto.azure-kv.auth.client-id", AzureKeyVaultTestServer.CLIENT_ID);
        config.put("spalce.crypto.azure-kv.auth.client-secret", AzureKeyVaultTestServer.CLIENT_SECRET);
        // Cloud KMS, and a service account key file whose token endpoint is the same test server.
        config.put("spalce.crypto.gcp-kms.endpoint", gcp.endpoint().toString());
        config.put(
                "spalce.crypto.gcp-kms.credentials-file",
                gcp.writeCredentialsFile(
                                java.nio.file.Path.of(System.getProperty("basedir", "."), "target", "gcp-credentials"))
                        .toString());
        return config;
    }

    public static synchronized AwsKmsTestServer aws() {
        if (aws == null) {
            throw new IllegalStateException("the KMS test servers have not been started");
        }
        return aws;
    }

    public static synchronized VaultTransitTestServer vault() {
        aws();
        return vault;
    }

    public static synchronized AzureKeyVaultTestServer azure() {
        aws();
        return azure;
    }

    public static synchronized GcpKmsTestServer gcp() {
        aws();
        return gcp;
    }

    public static synchronized void stop() {
        if (aws != null) {
            aws.close();
            vault.close();
            azure.close();
            gcp.close();
            aws = null;
            vault = null;
            azure = null;
            gcp = null;
        }
    }
}
