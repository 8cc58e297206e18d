package dev.spalce.keyproviders.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.spalce.keyproviders.testing.KeyProviderChecks.CONTEXT;
import static dev.spalce.keyproviders.testing.KeyProviderChecks.raw;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KeyUnavailableException.Reason;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.KeyDescription;
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.remote.KmsCalls;
import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.keyproviders.testing.AwsKmsTestServer;
import dev.spalce.keyproviders.testing.KeyProviderChecks;
import dev.spalce.keyproviders.testing.KeyProviderChecks.Fresh;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The aws-kms provider through the real AWS SDK client, against {@link AwsKmsTestServer} on loopback. */
class AwsKmsKeyProviderTest {

    private static final KmsCalls.Policy POLICY =
            new KmsCalls.Policy(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO);

    // One server and client for the class: closing a Netty client takes its event loop's quiet period (2 s).
    private static AwsKmsTestServer server;
    private static final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private static final List<Long> sleeps = new CopyOnWriteArrayList<>();
    private static AwsKmsKeyProvider provider;

    @BeforeAll
    static void start() {
        server = AwsKmsTestServer.start();
        provider = provider(server, RequestBudget.of(1_000, 1_000));
    }

    @AfterAll
    static void stop() {
        provider.close();
        server.close();
    }

    @BeforeEach
    void forgetEarlierTests() {
        server.clearRequests();
        server.throttleNext(0);
        metrics.clear();
        sleeps.clear();
    }

    private static AwsKmsKeyProvider provider(AwsKmsTestServer kms, RequestBudget budget) {
        // Backoff waits are recorded, not slept: the test checks them without spending them.
        KmsCalls calls = new KmsCalls(AwsKmsKeyProvider.ID, POLICY, budget, sleeps::add, () -> 0.5, metrics);
        return new AwsKmsKeyProvider(AwsKmsKeyProvider.client(AwsKmsTestServer.REGION, Optional.of(kms.endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE",
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")), Duration.ofSeconds(2)), calls);
    }

    private KmsKeyId newKey() {
        return KmsKeyId.of(AwsKmsKeyProvider.ID, server.createKey(), 1);
    }

    @Test
    void wrapThenUnwrap_returnsTheSameDek_withTheRecordAsEncryptionContext() {
        KmsKeyId key = newKey();
        try (DataKey dek = DataKey.generate()) {
            WrappedKey wrapped = provider.wrap(key, dek, CONTEXT);

            try (DataKey unwrapped = provider.unwrap(key, wrapped.bytes(), CONTEXT)) {
                assertThat(raw(unwrapped)).isEqualTo(raw(dek));
            }
            assertThat(wrapped.kmsKeyId()).isEqualTo(key);
        }
        AwsKmsTestServer.Request encrypt = server.requests("Encrypt").get(0);
        assertThat(encrypt.body().get("KeyId").asText()).isEqualTo(key.reference());
        assertThat(encrypt.body().get("EncryptionContext").toString())
                .isEqualTo("{\"spalce:tenant\":\"ws-1\",\"spalce:record-type\":\"evidence\",\"spalce:record-id\":\"ev-42\"}");
        assertThat(server.requests("Decrypt").get(0).body().get("KeyId").asText()).isEqualTo(key.reference());
    }

    @Test
    void unwrap_withAnotherTenantRecordTypeOrRecord_failsAsBadCiphertext() {
        KmsKeyId key = newKey();

        KeyProviderChecks.assertBoundToItsRecord(provider, key, wrap(key));
    }

    @Test
    void unwrap_modifiedOrUnderAnotherKey_failsAsBadCiphertext() {
        KmsKeyId key = newKey();
        byte[] wrapped = wrap(key);
        byte[] tampered = wrapped.clone();
        tampered[tampered.length - 1] ^= 1;

        assertThatThrownBy(() -> provider.unwrap(key, tampered, CONTEXT)).isInstanceOf(BadCiphertextException.class);
        assertThatThrownBy(() -> provider.unwrap(newKey(), wrapped, CONTEXT)).isInstanceOf(BadCiphertextException.class);
        assertThatThrownBy(() -> provider.unwrap(key, new byte[] {1, 2, 3}, CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void createVersion_rotatesOnDemand_newWrapsUseNewMaterial_andOldVersionsStillUnwrap() {
        KmsKeyId v1 = newKey();
        Fresh fresh = wrapFresh(v1);
        byte[] plaintext = fresh.plaintext();
        byte[] underV1 = fresh.wrapped();

        KmsKeyId v2 = provider.createVersion(v1.reference());
        KmsKeyId v3 = provider.createVersion(v1.reference());
        KmsKeyId v4 = provider.createVersion(v1.reference());

        assertThat(List.of(v2, v3, v4)).containsExactly(v1.withVersion(2), v1.withVersion(3), v1.withVersion(4));
        assertThat(server.requests("RotateKeyOnDemand")).hasSize(3);
        // Three rotations list over two pages: the provider follows NextMarker.
        KeyDescription description = provider.describe(v1.reference());
        assertThat(description.currentVersion()).isEqualTo(4);
        assertThat(description.versions()).extracting(KeyDescription.Version::version).containsExactly(1, 2, 3, 4);
        try (DataKey unwrapped = provider.unwrap(v1, underV1, CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(plaintext);
        }
        byte[] underV4 = wrap(v4);
        assertThat(materialIndex(underV4)).isEqualTo(3);
        assertThat(materialIndex(underV1)).isZero();
    }

    @Test
    void rewrap_isOneServerSideReEncrypt_andTheResultUnwrapsToTheSameDek() {
        KmsKeyId v1 = newKey();
        Fresh fresh = wrapFresh(v1);
        byte[] plaintext = fresh.plaintext();
        byte[] underV1 = fresh.wrapped();
        KmsKeyId v2 = provider.createVersion(v1.reference());
        server.clearRequests();

        WrappedKey rewrapped = provider.rewrap(v1, v2, underV1, CONTEXT);

        assertThat(provider.rewrapsServerSide()).isTrue();
        // One ReEncrypt; the DEK never comes back. The key's materials are listed once, to check the version the
        // source blob was really under (AwsKmsKeyMaterialTest); the listing is cached for the key.
        assertThat(server.requests()).extracting(AwsKmsTestServer.Request::operation)
                .containsExactly("ReEncrypt", "ListKeyRotations");
        server.clearRequests();
        provider.rewrap(v1, v2, underV1, CONTEXT);
        assertThat(server.requests()).extracting(AwsKmsTestServer.Request::operation).containsExactly("ReEncrypt");
        assertThat(server.requests("ReEncrypt").get(0).body().get("DestinationEncryptionContext"))
                .isEqualTo(server.requests("ReEncrypt").get(0).body().get("SourceEncryptionContext"));
        assertThat(rewrapped.kmsKeyId()).isEqualTo(v2);
        assertThat(materialIndex(rewrapped.bytes())).isEqualTo(1);
        try (DataKey unwrapped = provider.unwrap(v2, rewrapped.bytes(), CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(plaintext);
        }
        assertThatThrownBy(() -> provider.rewrap(v1, v2, underV1, WrapContext.of("ws-2", "evidence", "ev-42")))
                .isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void throttling_isRetriedWithExponentialBackoff_thenSucceeds() {
        KmsKeyId key = newKey();
        server.throttleNext(2);

        wrap(key);

        List<AwsKmsTestServer.Request> attempts = server.requests("Encrypt");
        assertThat(attempts).hasSize(3);
        assertThat(attempts.get(2).sdkRequestHeader()).startsWith("attempt=1");
        // Equal jitter at 0.5: 75% of 100 ms, then of 200 ms.
        assertThat(sleeps).containsExactly(Duration.ofMillis(75).toNanos(), Duration.ofMillis(150).toNanos());
        assertThat(metrics.counter("spalce.kms.errors", "provider", "aws-kms", "operation", "wrap", "kind", "throttled")
                .count()).isEqualTo(2);
        assertThat(metrics.counter("spalce.kms.retries", "provider", "aws-kms", "operation", "wrap").count())
                .isEqualTo(2);
        assertThat(metrics.timer("spalce.kms.requests", "provider", "aws-kms", "operation", "wrap", "outcome", "ok")
                .count()).isEqualTo(1);
    }

    @Test
    void throttlingBeyondTheAttempts_isTransientlyUnavailable() {
        KmsKeyId key = newKey();
        server.throttleNext(100);

        Throwable failure = catchThrowable(() -> wrap(key));

        assertThat(failure).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.PROVIDER_UNAVAILABLE));
        assertThat(server.requests("Encrypt")).hasSize(POLICY.maxAttempts());
        assertThat(sleeps).hasSize(POLICY.maxAttempts() - 1);
    }

    @Test
    void serverDown_isTransientlyUnavailable_afterRetries() {
        AwsKmsTestServer down = AwsKmsTestServer.start();
        KmsKeyId key = KmsKeyId.of(AwsKmsKeyProvider.ID, down.createKey(), 1);
        down.close();

        Throwable failure;
        try (AwsKmsKeyProvider toDownServer = provider(down, RequestBudget.of(1_000, 1_000))) {
            failure = catchThrowable(() -> wrapWith(toDownServer, key));
        }

        assertThat(failure).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.PROVIDER_UNAVAILABLE));
        assertThat(metrics.counter("spalce.kms.errors", "provider", "aws-kms", "operation", "wrap", "kind", "unreachable")
                .count()).isEqualTo(POLICY.maxAttempts());
    }

    @Test
    void unknownKey_isUnknownKey_namingTheKey_withoutRetry() {
        KmsKeyId missing = KmsKeyId.of(AwsKmsKeyProvider.ID,
                "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000", 1);

        assertThatThrownBy(() -> provider.describe(missing.reference()))
                .isInstanceOfSatisfying(KeyUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY))
                .hasMessageContaining(missing.reference());
        assertThatThrownBy(() -> wrap(missing)).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
        assertThat(server.requests("Encrypt")).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void disabledKey_isKeyDisabled_forWrapUnwrapAndRegistration() {
        KmsKeyId key = newKey();
        byte[] wrapped = wrap(key);
        server.setEnabled(key.reference(), false);

        for (Runnable call : List.<Runnable>of(() -> wrap(key), () -> provider.unwrap(key, wrapped, CONTEXT).close(),
                () -> provider.describe(key.reference()))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(KeyUnavailableException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.KEY_DISABLED));
        }
    }

    @Test
    void referenceThatIsNotAKeyArn_isRefusedBeforeAnyRequest() {
        for (String reference : List.of("alias/tenant-key", "arn:aws:kms:eu-west-1:111122223333:alias/tenant-key",
                "1234abcd-12ab-34cd-56ef-1234567890ab")) {
            assertThatThrownBy(() -> provider.describe(reference)).as(reference)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ARN");
        }
        assertThatThrownBy(() -> wrap(KmsKeyId.of("local", "k", 1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void exhaustedRequestBudget_failsAsUnavailable_withoutSendingTheRequest() {
        KmsKeyId key = newKey();
        long[] now = {0};
        try (AwsKmsKeyProvider budgeted = provider(server, new RequestBudget(1, 1, () -> now[0], nanos -> { }))) {
            wrapWith(budgeted, key);

            assertThatThrownBy(() -> wrapWith(budgeted, key)).isInstanceOfSatisfying(KeyUnavailableException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.PROVIDER_UNAVAILABLE));
            assertThat(server.requests("Encrypt")).hasSize(1);

            now[0] += Duration.ofSeconds(1).toNanos();
            wrapWith(budgeted, key);
            assertThat(server.requests("Encrypt")).hasSize(2);
        }
    }

    @Test
    void requests_areSignedWithSigV4ForKms() {
        wrap(newKey());

        // The test server refuses unsigned requests with IncompleteSignatureException; the wrap succeeded.
        assertThat(server.requests("Encrypt")).hasSize(1);
    }

    @Test
    void failures_andToString_neverShowKeyMaterial() {
        KeyProviderChecks.assertFailuresShowNoKeyMaterial(provider, newKey());
    }

    private static Fresh wrapFresh(KmsKeyId key) {
        return KeyProviderChecks.wrapFresh(provider, key);
    }

    private byte[] wrap(KmsKeyId key) {
        return wrapWith(provider, key);
    }

    private static byte[] wrapWith(AwsKmsKeyProvider provider, KmsKeyId key) {
        return KeyProviderChecks.wrap(provider, key);
    }

    /** The test server's blob layout: len(arn) (2) || arn || material index (4) || ... */
    private static int materialIndex(byte[] blob) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(blob);
        buffer.position(2 + buffer.getShort(0));
        return buffer.getInt();
    }

}
