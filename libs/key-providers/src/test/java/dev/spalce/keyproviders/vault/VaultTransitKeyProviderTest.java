package dev.spalce.keyproviders.vault;

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
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.remote.KmsCalls;
import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.keyproviders.testing.VaultTransitTestServer;
import dev.spalce.keyproviders.testing.KeyProviderChecks;
import dev.spalce.keyproviders.testing.KeyProviderChecks.Fresh;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The vault-transit provider over Vault's HTTP API (JDK HTTP client), against {@link VaultTransitTestServer}. */
class VaultTransitKeyProviderTest {

    private static final KmsCalls.Policy POLICY =
            new KmsCalls.Policy(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO);

    private static VaultTransitTestServer vault;
    private static final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private static final List<Long> sleeps = new CopyOnWriteArrayList<>();
    private static VaultTransitKeyProvider provider;

    @BeforeAll
    static void start() {
        vault = VaultTransitTestServer.start();
        provider = provider(vault, VaultAuth.token(VaultTransitTestServer.ROOT_TOKEN));
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    @BeforeEach
    void forgetEarlierTests() {
        vault.clearRequests();
        vault.throttleNext(0);
        metrics.clear();
        sleeps.clear();
    }

    private static VaultTransitKeyProvider provider(VaultTransitTestServer server, VaultAuth auth) {
        // Backoff waits are recorded, not slept.
        KmsCalls calls = new KmsCalls(VaultTransitKeyProvider.ID, POLICY, RequestBudget.of(1_000, 1_000), sleeps::add,
                () -> 0.5, metrics);
        return new VaultTransitKeyProvider(new VaultHttp(server.address(), Optional.empty(), Duration.ofSeconds(2)),
                auth, "transit", calls);
    }

    private static KmsKeyId newKey() {
        return KmsKeyId.of(VaultTransitKeyProvider.ID, vault.createKey(true), 1);
    }

    @Test
    void wrapThenUnwrap_returnsTheSameDek_withTheRecordAsContextAndTheExactVersion() {
        KmsKeyId key = newKey();
        Fresh fresh = wrapFresh(key);

        try (DataKey unwrapped = provider.unwrap(key, fresh.wrapped(), CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(fresh.plaintext());
        }
        assertThat(new String(fresh.wrapped(), StandardCharsets.US_ASCII)).startsWith("vault:v1:");
        VaultTransitTestServer.Request encrypt = vault.requests("encrypt").get(0);
        assertThat(encrypt.body().get("key_version").asInt()).isEqualTo(1);
        assertThat(new String(Base64.getDecoder().decode(encrypt.body().get("context").asText()), StandardCharsets.UTF_8))
                .isEqualTo("{\"spalce:tenant\":\"ws-1\",\"spalce:record-type\":\"evidence\",\"spalce:record-id\":\"ev-42\"}");
        assertThat(encrypt.token()).isEqualTo(VaultTransitTestServer.ROOT_TOKEN);
    }

    @Test
    void unwrap_withAnotherTenantRecordTypeOrRecord_failsAsBadCiphertext() {
        KmsKeyId key = newKey();

        KeyProviderChecks.assertBoundToItsRecord(provider, key, wrapFresh(key).wrapped());
    }

    @Test
    void unwrap_modifiedUnderAnotherKeyOrLabelledWithAnotherVersion_failsAsBadCiphertext() {
        KmsKeyId key = newKey();
        byte[] wrapped = wrapFresh(key).wrapped();
        byte[] tampered = wrapped.clone();
        tampered[tampered.length - 3] = (byte) (tampered[tampered.length - 3] == 'A' ? 'B' : 'A');

        assertThatThrownBy(() -> provider.unwrap(key, tampered, CONTEXT)).isInstanceOf(BadCiphertextException.class);
        assertThatThrownBy(() -> provider.unwrap(newKey(), wrapped, CONTEXT)).isInstanceOf(BadCiphertextException.class);
        assertThatThrownBy(() -> provider.unwrap(key.withVersion(2), wrapped, CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
        assertThatThrownBy(() -> provider.unwrap(key, "not vault".getBytes(StandardCharsets.US_ASCII), CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void createVersion_rotatesInVault_newWrapsUseIt_andOldVersionsStillUnwrap() {
        KmsKeyId v1 = newKey();
        Fresh old = wrapFresh(v1);

        KmsKeyId v2 = provider.createVersion(v1.reference());
        KmsKeyId v3 = provider.createVersion(v1.reference());

        assertThat(List.of(v2, v3)).containsExactly(v1.withVersion(2), v1.withVersion(3));
        KeyDescription description = provider.describe(v1.reference());
        assertThat(description.currentVersion()).isEqualTo(3);
        assertThat(description.versions()).extracting(KeyDescription.Version::version).containsExactly(1, 2, 3);
        assertThat(new String(wrapFresh(v3).wrapped(), StandardCharsets.US_ASCII)).startsWith("vault:v3:");
        try (DataKey unwrapped = provider.unwrap(v1, old.wrapped(), CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(old.plaintext());
        }
    }

    @Test
    void rewrap_isOneServerSideRewrapToTheTargetVersion() {
        KmsKeyId v1 = newKey();
        Fresh old = wrapFresh(v1);
        KmsKeyId v2 = provider.createVersion(v1.reference());
        vault.clearRequests();

        WrappedKey rewrapped = provider.rewrap(v1, v2, old.wrapped(), CONTEXT);

        assertThat(provider.rewrapsServerSide()).isTrue();
        assertThat(vault.requests()).extracting(VaultTransitTestServer.Request::path)
                .containsExactly("/v1/transit/rewrap/" + v1.reference());
        assertThat(vault.requests().get(0).body().get("key_version").asInt()).isEqualTo(2);
        assertThat(rewrapped.kmsKeyId()).isEqualTo(v2);
        assertThat(new String(rewrapped.bytes(), StandardCharsets.US_ASCII)).startsWith("vault:v2:");
        try (DataKey unwrapped = provider.unwrap(v2, rewrapped.bytes(), CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(old.plaintext());
        }
    }

    @Test
    void versionBelowMinDecryptionVersion_isDisabled_inDescribeAndUnwrap() {
        KmsKeyId v1 = newKey();
        Fresh old = wrapFresh(v1);
        provider.createVersion(v1.reference());
        vault.setMinDecryptionVersion(v1.reference(), 2);

        assertThat(provider.describe(v1.reference()).versions())
                .containsExactly(new KeyDescription.Version(1, false), new KeyDescription.Version(2, true));
        assertThatThrownBy(() -> provider.unwrap(v1, old.wrapped(), CONTEXT))
                .isInstanceOfSatisfying(KeyUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.KEY_DISABLED));
    }

    @Test
    void throttling_isRetriedWithExponentialBackoff_thenSucceeds() {
        KmsKeyId key = newKey();
        vault.throttleNext(2);

        wrapFresh(key);

        assertThat(vault.requests("encrypt")).hasSize(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(75).toNanos(), Duration.ofMillis(150).toNanos());
        assertThat(metrics.counter("spalce.kms.errors", "provider", "vault-transit", "operation", "wrap", "kind",
                "throttled").count()).isEqualTo(2);
    }

    @Test
    void throttlingBeyondTheAttempts_isTransientlyUnavailable() {
        KmsKeyId key = newKey();
        vault.throttleNext(100);

        assertThatThrownBy(() -> wrapFresh(key)).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.PROVIDER_UNAVAILABLE));
        assertThat(vault.requests("encrypt")).hasSize(POLICY.maxAttempts());
    }

    @Test
    void serverDown_isTransientlyUnavailable_afterRetries() {
        VaultTransitTestServer down = VaultTransitTestServer.start();
        KmsKeyId key = KmsKeyId.of(VaultTransitKeyProvider.ID, down.createKey(true), 1);
        down.close();
        VaultTransitKeyProvider toDownServer = provider(down, VaultAuth.token(VaultTransitTestServer.ROOT_TOKEN));

        Throwable failure = catchThrowable(() -> wrapWith(toDownServer, key));

        assertThat(failure).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.PROVIDER_UNAVAILABLE));
        assertThat(sleeps).hasSize(POLICY.maxAttempts() - 1);
    }

    @Test
    void unknownKey_isUnknownKey_namingTheKey_withoutRetry() {
        KmsKeyId missing = KmsKeyId.of(VaultTransitKeyProvider.ID, "no-such-key", 1);

        assertThatThrownBy(() -> provider.describe(missing.reference()))
                .isInstanceOfSatisfying(KeyUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY))
                .hasMessageContaining("no-such-key");
        assertThatThrownBy(() -> wrapWith(provider, missing)).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void keyWithoutDerivation_isRefused_becauseTheContextWouldNotBindIt() {
        String plain = vault.createKey(false);

        assertThatThrownBy(() -> provider.describe(plain)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("derived=true");
    }

    @Test
    void wrongToken_isAccessDenied_withoutRetry() {
        VaultTransitKeyProvider stranger = provider(vault, VaultAuth.token("hvs.not-a-token"));

        assertThatThrownBy(() -> wrapWith(stranger, newKey())).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED));
        assertThat(vault.requests("encrypt")).hasSize(1);
    }

    @Test
    void kubernetesAuth_logsInWithTheServiceAccountToken_andLogsInAgainWhenTheTokenIsRevoked() throws Exception {
        Path jwtFile = Files.createTempFile(Path.of("target"), "sa-token", ".jwt");
        String jwt = "eyJhbGciOiJSUzI1NiJ9." + UUID.randomUUID();
        Files.writeString(jwtFile, jwt + "\n");
        vault.acceptServiceAccountJwt(jwt);
        VaultTransitKeyProvider inPod = provider(vault, VaultAuth.kubernetes("kubernetes",
                VaultTransitTestServer.KUBERNETES_ROLE, jwtFile, Clock.systemUTC()));
        KmsKeyId key = newKey();

        wrapWith(inPod, key);
        wrapWith(inPod, key);
        vault.revokeLoginTokens();
        wrapWith(inPod, key);

        List<VaultTransitTestServer.Request> logins = vault.requests().stream()
                .filter(r -> r.path().equals("/v1/auth/kubernetes/login")).toList();
        assertThat(logins).hasSize(2);
        assertThat(logins.get(0).body().get("jwt").asText()).isEqualTo(jwt);
        assertThat(vault.requests("encrypt")).extracting(VaultTransitTestServer.Request::token)
                .doesNotContain(VaultTransitTestServer.ROOT_TOKEN).hasSize(4);
    }

    @Test
    void failures_andToString_neverShowKeyMaterial() {
        KeyProviderChecks.assertFailuresShowNoKeyMaterial(provider, newKey());
    }

    private static Fresh wrapFresh(KmsKeyId key) {
        return KeyProviderChecks.wrapFresh(provider, key);
    }

    private static byte[] wrapWith(VaultTransitKeyProvider with, KmsKeyId key) {
        return KeyProviderChecks.wrap(with, key);
    }
}
