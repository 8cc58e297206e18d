package dev.spalce.keyproviders.aws;

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
import dev.spalce.keyproviders.testing.AwsKmsTestServer;
import dev.spalce.keyproviders.testing.KeyProviderChecks;
import dev.spalce.keyproviders.testing.KeyProviderChecks.Fresh;
import dev.spalce.keyproviders.testing.RemoteKeyProviderContract;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The aws-kms provider through the real AWS SDK client, against {@link AwsKmsTestServer} on loopback. */
class AwsKmsKeyProviderTest extends RemoteKeyProviderContract<AwsKmsTestServer, AwsKmsKeyProvider> {

    @Override
    protected String providerId() {
        return AwsKmsKeyProvider.ID;
    }

    @Override
    protected AwsKmsTestServer startServer() {
        return AwsKmsTestServer.start();
    }

    @Override
    protected AwsKmsKeyProvider newProvider(AwsKmsTestServer kms, RequestBudget budget) {
        return new AwsKmsKeyProvider(
                AwsKmsKeyProvider.client(
                        AwsKmsTestServer.REGION,
                        Optional.of(kms.endpoint()),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
                        Duration.ofSeconds(2)),
                calls(budget));
    }

    @Override
    protected KmsKeyId createKey(AwsKmsTestServer kms) {
        return KmsKeyId.of(AwsKmsKeyProvider.ID, kms.createKey(), 1);
    }

    @Override
    protected KmsKeyId missingKey() {
        return KmsKeyId.of(
                AwsKmsKeyProvider.ID, "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000", 1);
    }

    @Override
    protected int wrapRequests() {
        return server.requests("Encrypt").size();
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
                .isEqualTo(
                        "{\"spalce:tenant\":\"ws-1\",\"spalce:record-type\":\"evidence\",\"spalce:record-id\":\"ev-42\"}");
        assertThat(server.requests("Decrypt").get(0).body().get("KeyId").asText())
                .isEqualTo(key.reference());
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
        assertThat(description.versions())
                .extracting(KeyDescription.Version::version)
                .containsExactly(1, 2, 3, 4);
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
        assertThat(server.requests())
                .extracting(AwsKmsTestServer.Request::operation)
                .containsExactly("ReEncrypt", "ListKeyRotations");
        server.clearRequests();
        provider.rewrap(v1, v2, underV1, CONTEXT);
        assertThat(server.requests())
                .extracting(AwsKmsTestServer.Request::operation)
                .containsExactly("ReEncrypt");
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
    void referenceThatIsNotAKeyArn_isRefusedBeforeAnyRequest() {
        for (String reference : List.of(
                "alias/tenant-key",
                "arn:aws:kms:eu-west-1:111122223333:alias/tenant-key",
                "1234abcd-12ab-34cd-56ef-1234567890ab")) {
            assertThatThrownBy(() -> provider.describe(reference))
                    .as(reference)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ARN");
        }
        assertThatThrownBy(() -> wrap(KmsKeyId.of("local", "k", 1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void retries_tellKmsWhichAttemptTheyAre() {
        KmsKeyId key = newKey();
        server.throttleNext(2);

        wrap(key);

        List<AwsKmsTestServer.Request> attempts = server.requests("Encrypt");
        assertThat(attempts).hasSize(3);
        assertThat(attempts.get(2).sdkRequestHeader()).startsWith("attempt=1");
    }

    @Test
    void requests_areSignedWithSigV4ForKms() {
        wrap(newKey());

        // The test server refuses unsigned requests with IncompleteSignatureException; the wrap succeeded.
        assertThat(server.requests("Encrypt")).hasSize(1);
    }

    private Fresh wrapFresh(KmsKeyId key) {
        return KeyProviderChecks.wrapFresh(provider, key);
    }

    /** The test server's blob layout: len(arn) (2) || arn || material index (4) || ... */
    private static int materialIndex(byte[] blob) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(blob);
        buffer.position(2 + buffer.getShort(0));
        return buffer.getInt();
    }
}
