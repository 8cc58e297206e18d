package dev.spalce.decrypt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.keyproviders.aws.AwsKmsKeyProvider;
import dev.spalce.keyproviders.remote.KmsCalls;
import dev.spalce.keyproviders.testing.AwsKmsTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The decrypt tool against an export whose DEKs AWS KMS wrapped: the AWS KMS wire-protocol test server of
 * libs/key-providers stands in for the customer's account, reached through the real AWS SDK with credentials from
 * the SDK's default chain (here its system properties), as a customer's machine would.
 */
class AwsKmsDecryptTest {

    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @TempDir
    Path dir;

    private AwsKmsTestServer kms;

    @BeforeEach
    void start() {
        kms = AwsKmsTestServer.start();
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        kms.close();
    }

    @Test
    void decrypt_withAwsKms_writesEveryPlaintextByteForByte_andAsksKmsOncePerRecord() throws Exception {
        KmsKeyId key = KmsKeyId.of(AwsKmsKeyProvider.ID, kms.createKey(), 1);
        ExportFixture fixture;
        try (AwsKmsKeyProvider provider = new AwsKmsKeyProvider(
                AwsKmsKeyProvider.client(
                        AwsKmsTestServer.REGION,
                        Optional.of(kms.endpoint()),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
                        Duration.ofSeconds(5)),
                KmsCalls.of(
                        AwsKmsKeyProvider.ID,
                        new KmsCalls.Policy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)),
                        RequestBudget.of(1_000, 1_000),
                        new SimpleMeterRegistry()))) {
            fixture = new ExportFixture(provider, key);
        }
        kms.clearRequests();
        Path output = dir.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = DecryptCli.run(
                new String[] {
                    "--archive", fixture.write(dir.resolve("export.zip")).toString(),
                    "--public-key", fixture.publicKeyBase64(),
                    "--out", output.toString(),
                    "--aws-endpoint", kms.endpoint().toString()
                },
                Map.of(),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));

        assertThat(status).as(err.toString()).isEqualTo(DecryptCli.OK);
        for (var written : fixture.plaintexts.entrySet()) {
            assertThat(output.resolve(written.getKey())).as(written.getKey()).hasBinaryContent(written.getValue());
        }
        assertThat(kms.requests("Decrypt")).hasSize(5);
    }
}
