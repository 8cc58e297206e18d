package dev.spalce.cryptoservice.tenantkey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.keys.KeyState;
import dev.spalce.cryptoservice.tenantkey.api.KeyShreddingResource;
import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyService.Shredded;
import dev.spalce.testsupport.GoldenSamples;
import org.junit.jupiter.api.Test;

/** crypto-service's side of the key-shredding answer: each key as it writes it is the golden sample's. */
class KeyShreddingBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shreddedKeys_areWrittenAsTheGoldenSample() throws Exception {
        JsonNode golden = JSON.readTree(GoldenSamples.load("deletion/key-shredding.response"));

        assertThat((JsonNode) JSON.valueToTree(KeyShreddingResource.view(new Shredded(
                        key(
                                KeyState.DESTROYED,
                                "local",
                                golden.at("/keys/0/keyReference").asText(),
                                true),
                        2))))
                .isEqualTo(golden.at("/keys/0"));
        assertThat((JsonNode) JSON.valueToTree(KeyShreddingResource.view(new Shredded(
                        key(
                                KeyState.DETACHED,
                                "aws-kms",
                                golden.at("/keys/1/keyReference").asText(),
                                false),
                        1))))
                .isEqualTo(golden.at("/keys/1"));
    }

    private static TenantKey key(KeyState state, String provider, String reference, boolean created) {
        TenantKey key = new TenantKey();
        key.state = state;
        key.provider = provider;
        key.keyReference = reference;
        key.keyCreated = created;
        return key;
    }
}
