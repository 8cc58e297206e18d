package dev.spalce.cryptoservice.datakey.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.datakey.DataKeyApi.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintBatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintResponse;
import dev.spalce.crypto.InsecureKeyAccess;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.crypto.SecretBytes;
import dev.spalce.cryptoservice.common.api.CryptoProblems;
import dev.spalce.cryptoservice.datakey.service.ItemResult;
import dev.spalce.cryptoservice.datakey.service.MintedDataKey;
import dev.spalce.cryptoservice.datakey.service.UnwrappedDataKey;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.testsupport.GoldenSamples;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * crypto-service's side of the data-key API against the golden bodies (libs/contracts): the answers it writes for
 * a fixed input, through the resource's own mapping, are the samples; the requests its clients send read into the
 * types it takes. The service's JSON configuration adds nothing to these bodies (no dates), so a plain mapper writes
 * what it writes.
 */
class DataKeyApiBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KmsKeyId V1 = KmsKeyId.parse("local:cmk-2d9a4e7c-81b0-4f5e-a3c6-0e9f1b7d5c24#v1");
    private static final KmsKeyId V2 = KmsKeyId.parse("local:cmk-2d9a4e7c-81b0-4f5e-a3c6-0e9f1b7d5c24#v2");
    private static final String R1 = "3f2b8c1e-5a47-4d2e-9b0c-6e1f7a8d9c01";
    private static final String R2 = "8a6d0f3b-1c29-4e8a-b7d5-2f4e6c8a0b12";

    @Test
    void mintAnswer_forAFixedKey_isTheGoldenBody_andLeavesNoPlaintextBehind() throws Exception {
        SecretBytes plaintext = SecretBytes.copyOf(bytes(0));
        MintResponse answer = DataKeyResource.mintResponse(new MintedDataKey(plaintext, wrapped(V2, R1)));

        String written = JSON.writeValueAsString(answer);

        assertThat(JSON.readTree(written)).isEqualTo(golden("data-keys/mint.response"));
        assertThat(answer.plaintextDek()).containsOnly(0);
        assertThatThrownBy(() -> plaintext.toByteArray(InsecureKeyAccess.get()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mintBatchAnswer_forFixedKeys_isTheGoldenBody() throws Exception {
        var answer = DataKeyResource.mintBatchResponse(List.of(
                new MintedDataKey(SecretBytes.copyOf(bytes(0)), wrapped(V2, R1)),
                new MintedDataKey(SecretBytes.copyOf(bytes(32)), wrapped(V2, R2))));

        assertThat(JSON.readTree(JSON.writeValueAsString(answer))).isEqualTo(golden("data-keys/mint-batch.response"));
    }

    @Test
    void unwrapAnswer_withOneKeyAndOneRefusal_isTheGoldenBody() throws Exception {
        var answer = DataKeyResource.unwrapResponse(List.of(
                ItemResult.ok(new UnwrappedDataKey(SecretBytes.copyOf(bytes(0)), V1)),
                ItemResult.failed(CryptoProblems.badWrappedKey())));

        assertThat(JSON.readTree(JSON.writeValueAsString(answer))).isEqualTo(golden("data-keys/unwrap.response"));
    }

    @Test
    void rewrapAnswer_withTwoMovedKeysAndOneRefusal_isTheGoldenBody() throws Exception {
        var answer = DataKeyResource.rewrapResponse(List.of(
                ItemResult.ok(wrapped(V2, R1)),
                ItemResult.ok(wrapped(V2, R2)),
                ItemResult.failed(CryptoProblems.badWrappedKey())));

        assertThat(JSON.readTree(JSON.writeValueAsString(answer))).isEqualTo(golden("data-keys/rewrap.response"));
    }

    @Test
    void goldenRequests_readIntoTheTypesTheResourceTakes() throws Exception {
        var mint = JSON.readValue(GoldenSamples.load("data-keys/mint.request"), MintRequest.class);
        var mintBatch = JSON.readValue(GoldenSamples.load("data-keys/mint-batch.request"), MintBatchRequest.class);
        var unwrap = JSON.readValue(GoldenSamples.load("data-keys/unwrap.request"), BatchRequest.class);
        var rewrap = JSON.readValue(GoldenSamples.load("data-keys/rewrap.request"), BatchRequest.class);

        assertThat(mint).isEqualTo(new MintRequest("evidence", R1));
        assertThat(mintBatch.recordIds()).containsExactly(R1, R2);
        assertThat(unwrap.items())
                .hasSize(2)
                .allSatisfy(item -> assertThat(KmsKeyId.parse(item.kmsKeyId())).isEqualTo(V1));
        assertThat(rewrap.items().get(2).recordType()).isEqualTo("personnel");
    }

    /** 32 bytes counting up from {@code first}. */
    private static byte[] bytes(int first) {
        byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }

    /** The samples' stand-in for a DEK wrapped under {@code version} for record {@code recordId}. */
    private static WrappedKey wrapped(KmsKeyId version, String recordId) {
        String text = "wrapped-under-v" + version.version() + ":" + recordId.substring(0, 8);
        return new WrappedKey(version, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static JsonNode golden(String name) throws Exception {
        return JSON.readTree(GoldenSamples.load(name));
    }
}
