package dev.spalce.rewrap.job.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.datakey.DataKeyApi.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.RewrapResponse;
import dev.spalce.contracts.datakey.DataKeyApi.RewrapResult;
import dev.spalce.contracts.datakey.WrappedKeyItem;
import dev.spalce.contracts.rewrap.WrappedKeys;
import dev.spalce.contracts.rewrap.WrappedKeys.CompareAndSet;
import dev.spalce.contracts.rewrap.WrappedKeys.CompareAndSetResult;
import dev.spalce.contracts.rewrap.WrappedKeys.Page;
import dev.spalce.contracts.rewrap.WrappedKeys.Swap;
import dev.spalce.rewrap.job.service.port.KeyRewrapper;
import dev.spalce.rewrap.job.service.port.StoredKeys;
import dev.spalce.testsupport.GoldenSamples;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One batch over the golden bodies (libs/contracts): the worker reads evidence-service's page, crypto-service's
 * rewrap answer and the compare-and-set answer as the samples are, and the requests it sends from them are the
 * samples of its own requests.
 */
class RewrapBatchBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET = "local:cmk-2d9a4e7c-81b0-4f5e-a3c6-0e9f1b7d5c24#v2";

    @Test
    void batch_overTheGoldenAnswers_sendsTheGoldenRequests_andCountsWhatTheyReport() throws Exception {
        List<Object> sent = new ArrayList<>();
        StoredKeys evidence = new StoredKeys() {
            @Override
            public Uni<Long> countNotOn(String workspaceId, String targetKmsKeyId) {
                throw new UnsupportedOperationException("a batch does not count");
            }

            @Override
            public Uni<Page> pageNotOn(String workspaceId, String targetKmsKeyId, String cursor, int limit) {
                return Uni.createFrom().item(read("wrapped-keys/page.response", WrappedKeys.Page.class));
            }

            @Override
            public Uni<Integer> compareAndSet(String workspaceId, List<Swap> keys) {
                sent.add(new CompareAndSet(keys));
                return Uni.createFrom()
                        .item(read("wrapped-keys/compare-and-set.response", CompareAndSetResult.class)
                                .applied());
            }
        };
        KeyRewrapper crypto = new KeyRewrapper() {
            @Override
            public Uni<List<RewrapResult>> rewrap(String workspaceId, List<WrappedKeyItem> keys) {
                sent.add(new BatchRequest(keys));
                return Uni.createFrom()
                        .item(read("data-keys/rewrap.response", RewrapResponse.class)
                                .items());
            }

            @Override
            public Uni<List<Integer>> markOlderVersionsRetirable(String workspaceId, String kmsKeyId) {
                throw new UnsupportedOperationException("a batch never retires versions");
            }

            @Override
            public Uni<List<String>> detachFormerKeys(String workspaceId, String kmsKeyId) {
                throw new UnsupportedOperationException("a batch never detaches keys");
            }
        };

        RewrapBatch.Result result = new RewrapBatch(evidence, crypto)
                .run("ws", TARGET, null, 500, requests -> Uni.createFrom().voidItem())
                .await()
                .atMost(Duration.ofSeconds(5));

        assertThat(sent).hasSize(2);
        assertThat(json(sent.get(0))).isEqualTo(golden("data-keys/rewrap.request"));
        assertThat(json(sent.get(1))).isEqualTo(golden("wrapped-keys/compare-and-set.request"));
        assertThat(result.read()).isEqualTo(3);
        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.stale()).isEqualTo(1);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(result.firstProblem()).endsWith("/bad-wrapped-key");
        assertThat(result.nextCursor()).startsWith("personnel/");
    }

    private static <T> T read(String sample, Class<T> type) {
        try {
            return JSON.readValue(GoldenSamples.load(sample), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(Object body) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(body));
    }

    private static JsonNode golden(String name) throws Exception {
        return JSON.readTree(GoldenSamples.load(name));
    }
}
