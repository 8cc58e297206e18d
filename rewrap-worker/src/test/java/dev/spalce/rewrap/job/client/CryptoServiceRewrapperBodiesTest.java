package dev.spalce.rewrap.job.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.spalce.contracts.datakey.DataKeyApi.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.RewrapResponse;
import dev.spalce.contracts.keys.WorkspaceKeyApi.CmkView;
import dev.spalce.contracts.keys.WorkspaceKeyApi.DetachRequest;
import dev.spalce.contracts.keys.WorkspaceKeyApi.DetachResult;
import dev.spalce.contracts.keys.WorkspaceKeyApi.VersionStateRequest;
import dev.spalce.testsupport.GoldenSamples;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worker's reading of crypto-service's key API, from the golden bodies (libs/contracts): over the sample view
 * of a key whose version 2 is current, retiring what precedes version 2 marks version 1, with the sample request.
 */
class CryptoServiceRewrapperBodiesTest {

    private static final ObjectMapper JSON =
            JsonMapper.builder().findAndAddModules().build();

    @Test
    void olderEnabledVersions_ofTheGoldenView_areMarkedRetirableWithTheGoldenRequest() throws Exception {
        CmkView view = read("workspace-keys/cmk.response", CmkView.class);
        List<String> sent = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        CryptoServiceClient crypto = new CryptoServiceClient() {
            @Override
            public Uni<CmkView> keys(String workspace) {
                return Uni.createFrom().item(view);
            }

            @Override
            public Uni<CmkView> changeVersionState(String workspace, int version, VersionStateRequest request) {
                versions.add(version);
                try {
                    sent.add(JSON.writeValueAsString(request));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return Uni.createFrom().item(view);
            }

            @Override
            public Uni<RewrapResponse> rewrap(String workspace, BatchRequest request) {
                throw new UnsupportedOperationException("not a rewrap");
            }

            @Override
            public Uni<DetachResult> detach(String workspace, DetachRequest request) {
                throw new UnsupportedOperationException("not a detach");
            }
        };

        List<Integer> marked = new CryptoServiceRewrapper(crypto)
                .markOlderVersionsRetirable(view.workspaceId(), view.currentKmsKeyId())
                .await()
                .atMost(Duration.ofSeconds(5));

        assertThat(marked).containsExactly(1);
        assertThat(versions).containsExactly(1);
        assertThat(JSON.readTree(sent.get(0)))
                .isEqualTo(JSON.readTree(GoldenSamples.load("workspace-keys/version-state.request")));
    }

    private static <T> T read(String sample, Class<T> type) throws IOException {
        return JSON.readValue(GoldenSamples.load(sample), type);
    }

    @Test
    void detachingFormerKeys_sendsTheGoldenRequest_andNamesTheGoldenAnswersKeys() throws Exception {
        List<String> sent = new ArrayList<>();
        CryptoServiceClient crypto = new CryptoServiceClient() {
            @Override
            public Uni<CmkView> keys(String workspace) {
                throw new UnsupportedOperationException("not a read");
            }

            @Override
            public Uni<CmkView> changeVersionState(String workspace, int version, VersionStateRequest request) {
                throw new UnsupportedOperationException("not a state change");
            }

            @Override
            public Uni<RewrapResponse> rewrap(String workspace, BatchRequest request) {
                throw new UnsupportedOperationException("not a rewrap");
            }

            @Override
            public Uni<DetachResult> detach(String workspace, DetachRequest request) {
                try {
                    sent.add(JSON.writeValueAsString(request));
                    return Uni.createFrom().item(read("workspace-keys/detach.response", DetachResult.class));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };

        List<String> detached = new CryptoServiceRewrapper(crypto)
                .detachFormerKeys("ws", "pkcs11:spalce-4f1c2a9e#v1")
                .await()
                .atMost(Duration.ofSeconds(5));

        assertThat(detached).containsExactly("local:cmk-2d9a4e7c-81b0-4f5e-a3c6-0e9f1b7d5c24");
        assertThat(JSON.readTree(sent.get(0)))
                .isEqualTo(JSON.readTree(GoldenSamples.load("workspace-keys/detach.request")));
    }
}
