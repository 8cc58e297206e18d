package dev.spalce.keyproviders.azure;

import static dev.spalce.keyproviders.testing.KeyProviderChecks.CONTEXT;
import static dev.spalce.keyproviders.testing.KeyProviderChecks.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KeyUnavailableException.Reason;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.KeyDescription;
import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.testing.AzureKeyVaultTestServer;
import dev.spalce.keyproviders.testing.KeyProviderChecks;
import dev.spalce.keyproviders.testing.KeyProviderChecks.Fresh;
import dev.spalce.keyproviders.testing.LoopbackTls;
import dev.spalce.keyproviders.testing.RemoteKeyProviderContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The azure-kv provider through the real Azure Key Vault SDK client (Netty, TLS, the challenge-based bearer
 * authentication), against {@link AzureKeyVaultTestServer} on loopback, which also serves the token endpoint.
 */
class AzureKeyVaultKeyProviderTest
        extends RemoteKeyProviderContract<AzureKeyVaultTestServer, AzureKeyVaultKeyProvider> {

    @Override
    protected String providerId() {
        return AzureKeyVaultKeyProvider.ID;
    }

    @Override
    protected AzureKeyVaultTestServer startServer() {
        return AzureKeyVaultTestServer.start();
    }

    @Override
    protected AzureKeyVaultKeyProvider newProvider(AzureKeyVaultTestServer kms, RequestBudget budget) {
        return provider(kms, budget, AzureKeyVaultTestServer.CLIENT_SECRET);
    }

    private AzureKeyVaultKeyProvider provider(AzureKeyVaultTestServer vault, RequestBudget budget, String secret) {
        HttpClient http = AzureKeyVaultKeyProvider.httpClient(
                Optional.of(LoopbackTls.get().caCertificates()), Duration.ofSeconds(5));
        EntraClientCredential credential = new EntraClientCredential(
                http,
                vault.vaultUrl(),
                AzureKeyVaultTestServer.TENANT,
                AzureKeyVaultTestServer.CLIENT_ID,
                new EntraClientCredential.Secret.ClientSecret(secret),
                Set.of());
        // The vault's host is 127.0.0.1, not a subdomain of the challenge's resource: the documented switch for
        // private endpoints and custom domains.
        return new AzureKeyVaultKeyProvider(
                new AzureKeyVaultKeyProvider.Connection(http, credential, false),
                List.of("127.0.0.1"),
                Duration.ofSeconds(5),
                calls(budget));
    }

    @Override
    protected KmsKeyId createKey(AzureKeyVaultTestServer kms) {
        return KmsKeyId.of(AzureKeyVaultKeyProvider.ID, kms.createKey(), 1);
    }

    @Override
    protected KmsKeyId missingKey() {
        return KmsKeyId.of(AzureKeyVaultKeyProvider.ID, server.vaultUrl() + "/keys/no-such-key", 1);
    }

    @Override
    protected int wrapRequests() {
        return server.requests("wrapkey").size();
    }

    @Test
    void wrapThenUnwrap_returnsTheSameDek_throughKeyVaultsWrapKeyAndUnwrapKey() {
        KmsKeyId key = newKey();
        try (DataKey dek = DataKey.generate()) {
            WrappedKey wrapped = provider.wrap(key, dek, CONTEXT);

            try (DataKey unwrapped = provider.unwrap(key, wrapped.bytes(), CONTEXT)) {
                assertThat(raw(unwrapped)).isEqualTo(raw(dek));
            }
            assertThat(wrapped.kmsKeyId()).isEqualTo(key);
            byte[] blob = wrapped.bytes();
            assertThat(blob[0]).isEqualTo((byte) 0x02);
            String versionId = new String(blob, 2, blob[1], StandardCharsets.US_ASCII);
            assertThat(blob).hasSize(2 + 32 + 256);
            AzureKeyVaultTestServer.Request wrap = server.requests("wrapkey").get(0);
            assertThat(wrap.path()).isEqualTo("/keys/" + name(key) + "/" + versionId + "/wrapkey");
            assertThat(wrap.body().get("alg").asText()).isEqualTo("RSA-OAEP-256");
            // What Key Vault wrapped: DEK || SHA-256(WC with format byte 0x02), as docs/format.md section 9.3 says.
            byte[] bound = java.nio.ByteBuffer.allocate(64)
                    .put(raw(dek))
                    .put(sha256(CONTEXT.encode(0x02)))
                    .array();
            assertThat(Base64.getUrlDecoder().decode(wrap.body().get("value").asText()))
                    .isEqualTo(bound);
        }
        assertThat(server.requests("unwrapkey")).hasSize(1);
        // Key Vault wraps, not the SDK with a cached public key: the key itself is never fetched.
        assertThat(server.requests("get-key")).isEmpty();
        // Key Vault's challenge, then a token for the vault's scope from the token endpoint.
        assertThat(server.requests())
                .extracting(AzureKeyVaultTestServer.Request::operation)
                .contains("token");
    }

    @Test
    void createVersion_rotates_newWrapsUseTheNewVersion_andOldVersionsStillUnwrap() {
        KmsKeyId v1 = newKey();
        Fresh fresh = wrapFresh(v1);

        KmsKeyId v2 = provider.createVersion(v1.reference());
        KmsKeyId v3 = provider.createVersion(v1.reference());
        KmsKeyId v4 = provider.createVersion(v1.reference());

        assertThat(List.of(v2, v3, v4)).containsExactly(v1.withVersion(2), v1.withVersion(3), v1.withVersion(4));
        assertThat(server.requests("rotate")).hasSize(3);
        // Four versions list over two pages: the provider follows nextLink.
        KeyDescription description = provider.describe(v1.reference());
        assertThat(description.currentVersion()).isEqualTo(4);
        assertThat(description.versions())
                .extracting(KeyDescription.Version::version)
                .containsExactly(1, 2, 3, 4);
        try (DataKey unwrapped = provider.unwrap(v1, fresh.wrapped(), CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(fresh.plaintext());
        }
        byte[] underV4 = wrap(v4);
        assertThat(versionId(underV4)).isNotEqualTo(versionId(fresh.wrapped()));
        // A version number names one Azure version: v1's wrapped DEK is not v4's.
        assertThatThrownBy(() -> provider.unwrap(v4, fresh.wrapped(), CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void rewrap_unwrapsAndWrapsInCryptoService_andTheResultUnwrapsToTheSameDek() {
        KmsKeyId v1 = newKey();
        Fresh fresh = wrapFresh(v1);
        KmsKeyId v2 = provider.createVersion(v1.reference());
        server.clearRequests();

        WrappedKey rewrapped = provider.rewrap(v1, v2, fresh.wrapped(), CONTEXT);

        assertThat(provider.rewrapsServerSide()).isFalse();
        assertThat(server.requests("unwrapkey")).hasSize(1);
        assertThat(server.requests("wrapkey")).hasSize(1);
        assertThat(rewrapped.kmsKeyId()).isEqualTo(v2);
        try (DataKey unwrapped = provider.unwrap(v2, rewrapped.bytes(), CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(fresh.plaintext());
        }
        assertThatThrownBy(() -> provider.rewrap(v1, v2, fresh.wrapped(), WrapContext.of("ws-2", "evidence", "ev-42")))
                .isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void unknownVersion_isUnknownKey_withoutRetry() {
        assertThatThrownBy(() -> wrap(newKey().withVersion(2)))
                .isInstanceOfSatisfying(
                        KeyUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void unwrap_ofABlobWhoseVersionIdIsCutShort_failsAsBadCiphertext() {
        assertThatThrownBy(() -> provider.unwrap(newKey(), new byte[] {2, 1, 'a'}, CONTEXT))
                .isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void disabledKey_isKeyDisabled_forWrapUnwrapAndRegistration() {
        KmsKeyId key = newKey();
        byte[] wrapped = wrap(key);
        server.setEnabled(key.reference(), false);

        for (Runnable call : List.<Runnable>of(
                () -> wrap(key),
                () -> provider.unwrap(key, wrapped, CONTEXT).close(),
                () -> provider.describe(key.reference()))) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(
                            KeyUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.KEY_DISABLED));
        }
    }

    @Test
    void wrongClientSecret_isAccessDenied_withoutRetry() {
        KmsKeyId key = newKey();
        try (AzureKeyVaultKeyProvider wrongSecret = provider(server, RequestBudget.of(1_000, 1_000), "wrong-secret")) {
            assertThatThrownBy(() -> wrongSecret.describe(key.reference()))
                    .isInstanceOfSatisfying(
                            KeyUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED));
        }
        assertThat(sleeps).isEmpty();
    }

    @Test
    void referenceThatIsNotAVersionlessKeyIdInAnAllowedVaultDomain_isRefusedBeforeAnyRequest() {
        for (String reference : List.of(
                "tenant-key",
                server.vaultUrl() + "/keys/k/0123456789abcdef0123456789abcdef",
                "http://127.0.0.1:1/keys/k",
                "https://attacker.example/keys/k",
                "https://127.0.0.1.example/keys/k",
                "https://x@127.0.0.1/keys/k")) {
            assertThatThrownBy(() -> provider.describe(reference))
                    .as(reference)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> wrap(KmsKeyId.of("local", "k", 1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests()).isEmpty();
    }

    private Fresh wrapFresh(KmsKeyId key) {
        return KeyProviderChecks.wrapFresh(provider, key);
    }

    private static String versionId(byte[] blob) {
        return new String(blob, 2, blob[1], StandardCharsets.US_ASCII);
    }

    private static String name(KmsKeyId key) {
        return key.reference().substring(key.reference().lastIndexOf('/') + 1);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
