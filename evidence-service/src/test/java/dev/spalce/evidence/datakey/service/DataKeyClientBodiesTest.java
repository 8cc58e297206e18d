package dev.spalce.evidence.datakey.service;

import static dev.spalce.evidence.support.GoldenBodies.R1;
import static dev.spalce.evidence.support.GoldenBodies.R2;
import static dev.spalce.evidence.support.GoldenBodies.V1;
import static dev.spalce.evidence.support.GoldenBodies.V2;
import static dev.spalce.evidence.support.GoldenBodies.golden;
import static dev.spalce.evidence.support.GoldenBodies.json;
import static dev.spalce.evidence.support.GoldenBodies.read;
import static dev.spalce.evidence.support.GoldenBodies.row;
import static dev.spalce.evidence.support.GoldenBodies.wrapped;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.contracts.datakey.DataKeyApi.MintBatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintBatchResponse;
import dev.spalce.contracts.datakey.DataKeyApi.MintRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintResponse;
import dev.spalce.contracts.datakey.DataKeyApi.UnwrapResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * evidence-service as a client of crypto-service's data-key API, against the golden bodies (libs/contracts): the
 * requests it builds from stored rows are the samples, and the answers read into the types it takes, plaintext
 * zeroed once it holds the key.
 */
class DataKeyClientBodiesTest {

    @Test
    void unwrapRequest_forTwoStoredRows_isTheGoldenBody() throws Exception {
        var request = DataKeys.unwrapRequest(List.of(row("personnel", R1), row("personnel", R2)));

        assertThat(json(request)).isEqualTo(golden("data-keys/unwrap.request"));
    }

    @Test
    void mintRequests_areTheGoldenBodies() throws Exception {
        assertThat(json(new MintRequest("evidence", R1))).isEqualTo(golden("data-keys/mint.request"));
        assertThat(json(new MintBatchRequest("check-result", List.of(R1, R2))))
                .isEqualTo(golden("data-keys/mint-batch.request"));
    }

    @Test
    void goldenMintAnswer_becomesAKeyAndTheBytesToStore_andItsPlaintextIsZeroed() throws Exception {
        MintResponse answer = read("data-keys/mint.response", MintResponse.class);
        byte[] plaintext = answer.plaintextDek();

        try (MintedKey minted = DataKeys.minted(answer)) {
            assertThat(minted.kmsKeyId()).isEqualTo(V2);
            assertThat(new String(minted.wrappedDek(), StandardCharsets.US_ASCII))
                    .isEqualTo(wrapped(2, R1));
        }
        assertThat(plaintext).hasSize(32).containsOnly(0);
    }

    @Test
    void goldenBatchAnswers_readIntoTheTypesTheClientTakes() throws Exception {
        var mintBatch = read("data-keys/mint-batch.response", MintBatchResponse.class);
        var unwrap = read("data-keys/unwrap.response", UnwrapResponse.class);

        assertThat(mintBatch.items())
                .hasSize(2)
                .allSatisfy(item -> assertThat(item.plaintextDek()).hasSize(32));
        assertThat(unwrap.failed()).isEqualTo(1);
        assertThat(unwrap.items().get(0).kmsKeyId()).isEqualTo(V1);
        assertThat(unwrap.items().get(1).error().type()).endsWith("/bad-wrapped-key");
    }
}
