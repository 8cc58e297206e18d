package dev.spalce.keyproviders.gcp;

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
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.testing.GcpKmsTestServer;
import dev.spalce.keyproviders.testing.KeyProviderChecks;
import dev.spalce.keyproviders.testing.KeyProviderChecks.Fresh;
import dev.spalce.keyproviders.testing.RemoteKeyProviderContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The gcp-kms provider over Cloud KMS's REST API, with Google's credentials library signing in as a service account
 * (a key file whose token endpoint is the test server), against {@link GcpKmsTestServer} on loopback.
 */
class GcpKmsKeyProviderTest extends RemoteKeyProviderContract<GcpKmsTestServer, GcpKmsKeyProvider> {

    private static final Path KEY_FILES = Path.of(System.getProperty("basedir", "."), "target", "gcp-credentials");

    @Override
    protected String providerId() {
        return GcpKmsKeyProvider.ID;
    }

    @Override
    protected GcpKmsTestServer startServer() {
        return GcpKmsTestServer.start();
    }

    @Override
    protected GcpKmsKeyProvider newProvider(GcpKmsTestServer kms, RequestBudget budget) {
        return new GcpKmsKeyProvider(
                kms.endpoint(),
                GcpKmsKeyProvider.credentials(Optional.of(kms.writeCredentialsFile(KEY_FILES))),
                Duration.ofSeconds(5),
                calls(budget));
    }

    @Override
    protected KmsKeyId createKey(GcpKmsTestServer kms) {
        return KmsKeyId.of(GcpKmsKeyProvider.ID, kms.createKey(), 1);
    }

    @Override
    protected KmsKeyId missingKey() {
        return KmsKeyId.of(
                GcpKmsKeyProvider.ID,
                "projects/spalce-test/locations/europe-west1/keyRings/spalce/cryptoKeys/no-such-key",
                1);
    }

    @Override
    protected int wrapRequests() {
        return server.requests("encrypt").size();
    }

    @Test
    void wrapThenUnwrap_returnsTheSameDek_withTheWrapContextAsAdditionalAuthenticatedData() {
        KmsKeyId key = newKey();
        try (DataKey dek = DataKey.generate()) {
            WrappedKey wrapped = provider.wrap(key, dek, CONTEXT);

            try (DataKey unwrapped = provider.unwrap(key, wrapped.bytes(), CONTEXT)) {
                assertThat(raw(unwrapped)).isEqualTo(raw(dek));
            }
            assertThat(wrapped.kmsKeyId()).isEqualTo(key);
        }
        GcpKmsTestServer.Request encrypt = server.requests("encrypt").get(0);
        assertThat(encrypt.path()).isEqualTo("/v1/" + key.reference() + "/cryptoKeyVersions/1:encrypt");
        assertThat(Base64.getDecoder()
                        .decode(encrypt.body()
                                .get("additionalAuthenticatedData")
                                .asText()))
                .isEqualTo(java.nio.ByteBuffer.allocate(CONTEXT.encode(0x04).length + 4)
                        .put(CONTEXT.encode(0x04))
                        .putInt(1)
                        .array());
        assertThat(server.requests("decrypt").get(0).path()).isEqualTo("/v1/" + key.reference() + ":decrypt");
        // The service account signed in at the token endpoint of its key file.
        assertThat(server.requests("unauthenticated")).isEmpty();
    }

    @Test
    void createVersion_addsAVersionAndMakesItPrimary_newWrapsUseIt_andOldVersionsStillUnwrap() {
        KmsKeyId v1 = newKey();
        Fresh fresh = KeyProviderChecks.wrapFresh(provider, v1);

        KmsKeyId v2 = provider.createVersion(v1.reference());
        KmsKeyId v3 = provider.createVersion(v1.reference());

        assertThat(List.of(v2, v3)).containsExactly(v1.withVersion(2), v1.withVersion(3));
        assertThat(server.requests("updatePrimaryVersion")).hasSize(2);
        // Three versions list over two pages: the provider follows nextPageToken.
        KeyDescription description = provider.describe(v1.reference());
        assertThat(description.currentVersion()).isEqualTo(3);
        assertThat(description.versions())
                .extracting(KeyDescription.Version::version)
                .containsExactly(1, 2, 3);
        try (DataKey unwrapped = provider.unwrap(v1, fresh.wrapped(), CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(fresh.plaintext());
        }
        KeyProviderChecks.wrap(provider, v3);
        assertThat(server.requests("encrypt")
                        .get(server.requests("encrypt").size() - 1)
                        .path())
                .endsWith("/cryptoKeyVersions/3:encrypt");
    }

    @Test
    void rewrap_unwrapsAndWrapsInCryptoService_toTheTargetVersion() {
        KmsKeyId v1 = newKey();
        Fresh fresh = KeyProviderChecks.wrapFresh(provider, v1);
        KmsKeyId v2 = provider.createVersion(v1.reference());
        server.clearRequests();

        WrappedKey rewrapped = provider.rewrap(v1, v2, fresh.wrapped(), CONTEXT);

        assertThat(provider.rewrapsServerSide()).isFalse();
        assertThat(server.requests())
                .extracting(GcpKmsTestServer.Request::operation)
                .containsExactly("decrypt", "encrypt");
        assertThat(rewrapped.kmsKeyId()).isEqualTo(v2);
        try (DataKey unwrapped = provider.unwrap(v2, rewrapped.bytes(), CONTEXT)) {
            assertThat(raw(unwrapped)).isEqualTo(fresh.plaintext());
        }
    }

    @Test
    void disabledVersion_isKeyDisabled_forWrapUnwrapAndDescribe() {
        KmsKeyId key = newKey();
        byte[] wrapped = KeyProviderChecks.wrap(provider, key);
        server.setState(key.reference(), 1, "DISABLED");

        for (Runnable call : List.<Runnable>of(
                () -> KeyProviderChecks.wrap(provider, key),
                () -> provider.unwrap(key, wrapped, CONTEXT).close(),
                () -> provider.describe(key.reference()))) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(
                            KeyUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.KEY_DISABLED));
        }
    }

    @Test
    void referenceThatIsNotAKeyResourceName_isRefusedBeforeAnyRequest() {
        for (String reference : List.of(
                "tenant-key",
                "projects/p/locations/l/keyRings/r/cryptoKeys/k",
                "projects/spalce-test/locations/europe-west1/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1")) {
            assertThatThrownBy(() -> provider.describe(reference))
                    .as(reference)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> KeyProviderChecks.wrap(provider, KmsKeyId.of("local", "k", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anotherRecordsContext_isRefusedByCloudKms_notByCrypoService() {
        KmsKeyId key = newKey();
        byte[] wrapped = KeyProviderChecks.wrap(provider, key);
        server.clearRequests();

        assertThatThrownBy(() -> provider.unwrap(key, wrapped, WrapContext.of("ws-2", "evidence", "ev-42")))
                .isInstanceOf(BadCiphertextException.class);
        assertThat(server.requests("decrypt")).hasSize(1);
    }
}
