package dev.spalce.keyproviders.vault;

import static dev.spalce.keyproviders.testing.KeyProviderChecks.CONTEXT;
import static dev.spalce.keyproviders.testing.KeyProviderChecks.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KeyUnavailableException.Reason;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.KeyDescription;
import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.testing.KeyProviderChecks;
import dev.spalce.keyproviders.testing.KeyProviderChecks.Fresh;
import dev.spalce.keyproviders.testing.RemoteKeyProviderContract;
import dev.spalce.keyproviders.testing.VaultTransitTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The vault-transit provider over Vault's HTTP API (JDK HTTP client), against {@link VaultTransitTestServer}. */
class VaultTransitKeyProviderTest extends RemoteKeyProviderContract<VaultTransitTestServer, VaultTransitKeyProvider> {

    @Override
    protected String providerId() {
        return VaultTransitKeyProvider.ID;
    }

    @Override
    protected VaultTransitTestServer startServer() {
        return VaultTransitTestServer.start();
    }

    @Override
    protected VaultTransitKeyProvider newProvider(VaultTransitTestServer kms, RequestBudget budget) {
        return provider(kms, VaultAuth.token(VaultTransitTestServer.ROOT_TOKEN), budget);
    }

    /** Vault's ciphertext is text ({@code vault:v1:<base64>}): one base64 letter changed. */
    @Override
    protected byte[] tampered(byte[] wrapped) {
        byte[] tampered = wrapped.clone();
        tampered[tampered.length - 3] = (byte) (tampered[tampered.length - 3] == 'A' ? 'B' : 'A');
        return tampered;
    }

    private VaultTransitKeyProvider provider(VaultTransitTestServer kms, VaultAuth auth, RequestBudget budget) {
        return new VaultTransitKeyProvider(
                new VaultHttp(kms.address(), Optional.empty(), Duration.ofSeconds(2)), auth, "transit", calls(budget));
    }

    @Override
    protected KmsKeyId createKey(VaultTransitTestServer kms) {
        return KmsKeyId.of(VaultTransitKeyProvider.ID, kms.createKey(true), 1);
    }

    @Override
    protected KmsKeyId missingKey() {
        return KmsKeyId.of(VaultTransitKeyProvider.ID, "no-such-key", 1);
    }

    @Override
    protected int wrapRequests() {
        return server.requests("encrypt").size();
    }

    @Test
    void wrapThenUnwrap_returnsTheSameDek_withTheRecordAsContextAndTheExactVersion() {
        KmsKeyId key = newKey();
        Fresh fresh = wrapFresh(key);

        try (DataKey unwrapped = provider.unwrap(key, fresh.wrapped(), CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(fresh.plaintext());
        }
        assertThat(new String(fresh.wrapped(), StandardCharsets.US_ASCII)).startsWith("vault:v1:");
        VaultTransitTestServer.Request encrypt = server.requests("encrypt").get(0);
        assertThat(encrypt.body().get("key_version").asInt()).isEqualTo(1);
        assertThat(new String(
                        Base64.getDecoder().decode(encrypt.body().get("context").asText()), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"spalce:tenant\":\"ws-1\",\"spalce:record-type\":\"evidence\",\"spalce:record-id\":\"ev-42\"}");
        assertThat(encrypt.token()).isEqualTo(VaultTransitTestServer.ROOT_TOKEN);
    }

    @Test
    void unwrap_labelledWithAnotherVersionOrNotVaultCiphertext_failsAsBadCiphertext() {
        KmsKeyId key = newKey();
        byte[] wrapped = wrapFresh(key).wrapped();

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
        assertThat(description.versions())
                .extracting(KeyDescription.Version::version)
                .containsExactly(1, 2, 3);
        assertThat(new String(wrapFresh(v3).wrapped(), StandardCharsets.US_ASCII))
                .startsWith("vault:v3:");
        try (DataKey unwrapped = provider.unwrap(v1, old.wrapped(), CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(old.plaintext());
        }
    }

    @Test
    void rewrap_isOneServerSideRewrapToTheTargetVersion() {
        KmsKeyId v1 = newKey();
        Fresh old = wrapFresh(v1);
        KmsKeyId v2 = provider.createVersion(v1.reference());
        server.clearRequests();

        WrappedKey rewrapped = provider.rewrap(v1, v2, old.wrapped(), CONTEXT);

        assertThat(provider.rewrapsServerSide()).isTrue();
        assertThat(server.requests())
                .extracting(VaultTransitTestServer.Request::path)
                .containsExactly("/v1/transit/rewrap/" + v1.reference());
        assertThat(server.requests().get(0).body().get("key_version").asInt()).isEqualTo(2);
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
        server.setMinDecryptionVersion(v1.reference(), 2);

        assertThat(provider.describe(v1.reference()).versions())
                .containsExactly(new KeyDescription.Version(1, false), new KeyDescription.Version(2, true));
        assertThatThrownBy(() -> provider.unwrap(v1, old.wrapped(), CONTEXT))
                .isInstanceOfSatisfying(
                        KeyUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.KEY_DISABLED));
    }

    @Test
    void keyWithoutDerivation_isRefused_becauseTheContextWouldNotBindIt() {
        String plain = server.createKey(false);

        assertThatThrownBy(() -> provider.describe(plain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("derived=true");
    }

    @Test
    void wrongToken_isAccessDenied_withoutRetry() {
        VaultTransitKeyProvider stranger =
                provider(server, VaultAuth.token("hvs.not-a-token"), RequestBudget.of(1_000, 1_000));

        assertThatThrownBy(() -> wrapWith(stranger, newKey()))
                .isInstanceOfSatisfying(
                        KeyUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED));
        assertThat(server.requests("encrypt")).hasSize(1);
    }

    @Test
    void kubernetesAuth_logsInWithTheServiceAccountToken_andLogsInAgainWhenTheTokenIsRevoked() throws Exception {
        Path jwtFile = Files.createTempFile(Path.of("target"), "sa-token", ".jwt");
        String jwt = "eyJhbGciOiJSUzI1NiJ9." + UUID.randomUUID();
        Files.writeString(jwtFile, jwt + "\n");
        server.acceptServiceAccountJwt(jwt);
        VaultTransitKeyProvider inPod = provider(
                server,
                VaultAuth.kubernetes("kubernetes", VaultTransitTestServer.KUBERNETES_ROLE, jwtFile, Clock.systemUTC()),
                RequestBudget.of(1_000, 1_000));
        KmsKeyId key = newKey();

        wrapWith(inPod, key);
        wrapWith(inPod, key);
        server.revokeLoginTokens();
        wrapWith(inPod, key);

        List<VaultTransitTestServer.Request> logins = server.requests().stream()
                .filter(r -> r.path().equals("/v1/auth/kubernetes/login"))
                .toList();
        assertThat(logins).hasSize(2);
        assertThat(logins.get(0).body().get("jwt").asText()).isEqualTo(jwt);
        assertThat(server.requests("encrypt"))
                .extracting(VaultTransitTestServer.Request::token)
                .doesNotContain(VaultTransitTestServer.ROOT_TOKEN)
                .hasSize(4);
    }

    private Fresh wrapFresh(KmsKeyId key) {
        return KeyProviderChecks.wrapFresh(provider, key);
    }

    private static byte[] wrapWith(VaultTransitKeyProvider with, KmsKeyId key) {
        return KeyProviderChecks.wrap(with, key);
    }
}
