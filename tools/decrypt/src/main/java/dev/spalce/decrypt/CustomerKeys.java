package dev.spalce.decrypt;

import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.keyproviders.aws.AwsKmsKeyProvider;
import dev.spalce.keyproviders.local.LocalKeyProvider;
import dev.spalce.keyproviders.remote.KmsCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The customer's own keys, one {@link KeyProvider} per provider an export's {@code kms_key_id}s name, opened on
 * first use: {@code local} from the keystore file and its passphrase, {@code aws-kms} with the AWS SDK's default
 * credentials (environment, profile, instance role) in the key ARN's Region unless one is given.
 */
public final class CustomerKeys implements AutoCloseable {

    /** Where the keys are. */
    public record Settings(
            Optional<Path> keystore,
            Optional<char[]> keystorePassphrase,
            Optional<String> awsRegion,
            Optional<URI> awsEndpoint) {}

    private static final KmsCalls.Policy POLICY =
            new KmsCalls.Policy(4, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30));

    private final Settings settings;
    private final Map<String, KeyProvider> open = new HashMap<>();

    public CustomerKeys(Settings settings) {
        this.settings = settings;
    }

    /** The provider of {@code keyId}'s key, opened once. */
    public KeyProvider providerOf(KmsKeyId keyId) {
        String id = keyId.provider();
        if (id.equals(AwsKmsKeyProvider.ID)) {
            // One client per Region: a workspace that moved between Regions names keys of each.
            String region = settings.awsRegion().orElseGet(() -> regionOf(keyId.reference()));
            return open.computeIfAbsent(id + "@" + region, ignored -> aws(region));
        }
        return open.computeIfAbsent(id, ignored -> switch (id) {
            case LocalKeyProvider.ID -> local();
            default ->
                throw new ArchiveRefusedException("key " + keyId + " is of provider " + id
                        + ", which this tool does not open (local and aws-kms); unwrap its DEKs with that KMS's own tool, "
                        + "as docs/format.md section 9 says");
        });
    }

    @Override
    public void close() {
        open.values().forEach(KeyProvider::close);
        settings.keystorePassphrase().ifPresent(passphrase -> Arrays.fill(passphrase, '\0'));
    }

    private KeyProvider local() {
        Path keystore = settings.keystore()
                .orElseThrow(() -> new ArchiveRefusedException(
                        "the export's keys are in a local keystore: give it with --keystore FILE"));
        char[] passphrase = settings.keystorePassphrase()
                .orElseThrow(() -> new ArchiveRefusedException(
                        "the local keystore's passphrase is missing: set SPALCE_DECRYPT_KEYSTORE_PASSPHRASE"));
        if (!keystore.toFile().isFile()) {
            throw new ArchiveRefusedException("no keystore at " + keystore);
        }
        try {
            return LocalKeyProvider.open(keystore, passphrase);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ArchiveRefusedException("the local keystore " + keystore + " does not open: " + e.getMessage());
        }
    }

    private KeyProvider aws(String region) {
        return new AwsKmsKeyProvider(
                AwsKmsKeyProvider.client(
                        region,
                        settings.awsEndpoint(),
                        DefaultCredentialsProvider.builder().build(),
                        Duration.ofSeconds(10)),
                KmsCalls.of(AwsKmsKeyProvider.ID, POLICY, RequestBudget.of(50, 50), new SimpleMeterRegistry()));
    }

    /** The Region of a key ARN, {@code arn:<partition>:kms:<region>:<account>:key/<id>}. */
    private static String regionOf(String arn) {
        String[] parts = arn.split(":");
        if (parts.length < 6 || parts[3].isEmpty()) {
            throw new ArchiveRefusedException("cannot read the Region of key " + arn + ": give it with --aws-region");
        }
        return parts[3];
    }
}
