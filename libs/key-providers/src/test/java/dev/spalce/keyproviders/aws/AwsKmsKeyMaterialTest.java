package dev.spalce.keyproviders.aws;

import static dev.spalce.keyproviders.testing.KeyProviderChecks.CONTEXT;
import static dev.spalce.keyproviders.testing.KeyProviderChecks.raw;
import static dev.spalce.keyproviders.testing.KeyProviderChecks.wrapFresh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.keyproviders.remote.KmsCalls;
import dev.spalce.keyproviders.testing.AwsKmsTestServer;
import dev.spalce.keyproviders.testing.KeyProviderChecks.Fresh;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * AWS KMS decrypts with whatever key material a ciphertext blob names, whatever version a row's label says: the
 * provider checks the {@code KeyMaterialId} AWS reports against the versions allowed.
 */
class AwsKmsKeyMaterialTest {

    private static final KmsCalls.Policy POLICY =
            new KmsCalls.Policy(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO);

    private static AwsKmsTestServer server;
    private static AwsKmsKeyProvider provider;

    @BeforeAll
    static void start() {
        server = AwsKmsTestServer.start();
        KmsCalls calls = new KmsCalls(
                AwsKmsKeyProvider.ID,
                POLICY,
                RequestBudget.of(1_000, 1_000),
                sleep -> {},
                () -> 0.5,
                new SimpleMeterRegistry());
        provider = new AwsKmsKeyProvider(
                AwsKmsKeyProvider.client(
                        AwsKmsTestServer.REGION,
                        Optional.of(server.endpoint()),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
                        Duration.ofSeconds(5)),
                calls);
    }

    @AfterAll
    static void stop() {
        provider.close();
        server.close();
    }

    @Test
    void unwrap_ofVersion1RelabelledVersion2_isRefusedAsBadWrappedKey() {
        KmsKeyId v1 = KmsKeyId.of(AwsKmsKeyProvider.ID, server.createKey(), 1);
        Fresh old = wrapFresh(provider, v1);
        KmsKeyId v2 = provider.createVersion(v1.reference());

        assertThatThrownBy(() -> provider.unwrap(v2, old.wrapped(), CONTEXT, version -> version != 1))
                .isInstanceOf(BadCiphertextException.class)
                .hasMessageContaining("version 1");
        assertThatThrownBy(() -> provider.rewrap(v2, v2, old.wrapped(), CONTEXT, version -> version != 1))
                .isInstanceOf(BadCiphertextException.class);
        assertThat(server.requests("ListKeyRotations").stream()
                        .anyMatch(r -> "ALL_KEY_MATERIAL"
                                .equals(r.body().path("IncludeKeyMaterial").asText())))
                .isTrue();
    }

    @Test
    void unwrap_ofARetiredVersion_isRefusedEvenWithItsOwnLabel() {
        KmsKeyId v1 = KmsKeyId.of(AwsKmsKeyProvider.ID, server.createKey(), 1);
        Fresh old = wrapFresh(provider, v1);
        provider.createVersion(v1.reference());

        assertThatThrownBy(() -> provider.unwrap(v1, old.wrapped(), CONTEXT, version -> version != 1))
                .isInstanceOf(KeyUnavailableException.class)
                .extracting(failure -> ((KeyUnavailableException) failure).reason())
                .isEqualTo(KeyUnavailableException.Reason.KEY_DISABLED);
        try (DataKey opened = provider.unwrap(v1, old.wrapped(), CONTEXT, version -> true)) {
            assertThat(raw(opened)).isEqualTo(old.plaintext());
        }
    }

    @Test
    void unwrap_ofANewerMaterialThanTheLabel_isAllowed_asAfterARotationInAwsItself() {
        KmsKeyId v1 = KmsKeyId.of(AwsKmsKeyProvider.ID, server.createKey(), 1);
        provider.createVersion(v1.reference());
        // The registry still names version 1 as current: AWS encrypts under its newest material all the same.
        Fresh fresh = wrapFresh(provider, v1);

        try (DataKey opened = provider.unwrap(v1, fresh.wrapped(), CONTEXT, version -> version == 2)) {
            assertThat(raw(opened)).isEqualTo(fresh.plaintext());
        }
        assertThatThrownBy(() -> provider.unwrap(v1, fresh.wrapped(), CONTEXT, version -> version == 1))
                .isInstanceOf(KeyUnavailableException.class);
    }
}
