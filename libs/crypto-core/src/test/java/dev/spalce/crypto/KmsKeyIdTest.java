package dev.spalce.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KmsKeyIdTest {

    private static final String AWS =
            "aws-kms:arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab#v3";

    @Test
    void parse_awsArn_splitsAtFirstColonAndVersionMarker() {
        KmsKeyId id = KmsKeyId.parse(AWS);

        assertThat(id.provider()).isEqualTo("aws-kms");
        assertThat(id.reference())
                .isEqualTo("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(id.version()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                AWS,
                "local:tenant-7f3c#v1",
                "gcp-kms:projects/p/locations/europe-west1/keyRings/spalce/cryptoKeys/tenant-7f3c#v12",
                "azure-kv:https://spalce.vault.azure.net/keys/tenant-7f3c#v2",
                "vault-transit:transit/keys/tenant-7f3c#v2147483647",
                "pkcs11:token=spalce;object=tenant-7f3c#v4"
            })
    void parse_thenToString_roundTrips(String canonical) {
        KmsKeyId id = KmsKeyId.parse(canonical);

        assertThat(id.toString()).isEqualTo(canonical);
        assertThat(KmsKeyId.of(id.provider(), id.reference(), id.version())).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "local",
                "local:",
                "local:tenant",
                ":tenant#v1",
                "local:#v1",
                "local:tenant#v",
                "local:tenant#v0",
                "local:tenant#v01",
                "local:tenant#v-1",
                "local:tenant#vx",
                "local:tenant#v1 ",
                "local:tenant#V1",
                "local:tenant#v2147483648",
                "local:tenant#v99999999999",
                "Local:tenant#v1",
                "aws_kms:tenant#v1",
                "lo cal:tenant#v1",
                "local:ten ant#v1",
                "local:tenant\n#v1",
                "local:tenant#x#v1",
                "local:tenant#v1#v2",
                "local:ténant#v1",
                "a-provider-id-that-is-far-too-long:tenant#v1"
            })
    void parse_garbage_throwsIllegalArgument(String text) {
        assertThatThrownBy(() -> KmsKeyId.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void of_withVersionBelowOne_isRejected() {
        assertThatThrownBy(() -> KmsKeyId.of("local", "tenant-7f3c", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withVersion_changesOnlyTheVersion() {
        KmsKeyId v3 = KmsKeyId.parse(AWS);

        KmsKeyId v4 = v3.withVersion(4);

        assertThat(v4.toString()).isEqualTo(AWS.replace("#v3", "#v4"));
        assertThat(v4).isNotEqualTo(v3);
        assertThat(v4.withVersion(3)).isEqualTo(v3).hasSameHashCodeAs(v3);
    }

    @Test
    void keyUnavailableException_namesKeyAndReason() {
        KmsKeyId id = KmsKeyId.parse("local:tenant-7f3c#v1");

        KeyUnavailableException down =
                new KeyUnavailableException(id, KeyUnavailableException.Reason.PROVIDER_UNAVAILABLE);
        KeyUnavailableException disabled = new KeyUnavailableException(id, KeyUnavailableException.Reason.KEY_DISABLED);

        assertThat(down).isInstanceOf(CryptoException.class).hasMessageContaining("local:tenant-7f3c#v1");
        assertThat(down.keyId()).isEqualTo(id);
        assertThat(down.reason().isTransient()).isTrue();
        assertThat(disabled.reason().isTransient()).isFalse();
    }
}
