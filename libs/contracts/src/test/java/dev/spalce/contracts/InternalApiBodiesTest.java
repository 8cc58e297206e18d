package dev.spalce.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.spalce.contracts.audit.AuditEventPage;
import dev.spalce.contracts.audit.SigningKeysView;
import dev.spalce.contracts.datakey.DataKeyApi;
import dev.spalce.contracts.deletion.WorkspaceShredding;
import dev.spalce.contracts.keys.WorkspaceKeyApi;
import dev.spalce.contracts.rewrap.WrappedKeys;
import dev.spalce.contracts.status.ServiceStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden body of the internal HTTP APIs reads into its one contract type and writes back as the same JSON, so
 * that the type holds every field of the sample; and plaintext keys in the data-key answers keep their protections.
 */
class InternalApiBodiesTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private static String golden(String name) throws IOException {
        try (InputStream in =
                InternalApiBodiesTest.class.getResourceAsStream("/dev/spalce/contracts/golden/" + name + ".json")) {
            assertThat(in).as("golden sample " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("data-keys/mint.request", DataKeyApi.MintRequest.class),
                Arguments.of("data-keys/mint.response", DataKeyApi.MintResponse.class),
                Arguments.of("data-keys/mint-batch.request", DataKeyApi.MintBatchRequest.class),
                Arguments.of("data-keys/mint-batch.response", DataKeyApi.MintBatchResponse.class),
                Arguments.of("data-keys/unwrap.request", DataKeyApi.BatchRequest.class),
                Arguments.of("data-keys/unwrap.response", DataKeyApi.UnwrapResponse.class),
                Arguments.of("data-keys/rewrap.request", DataKeyApi.BatchRequest.class),
                Arguments.of("data-keys/rewrap.response", DataKeyApi.RewrapResponse.class),
                Arguments.of("wrapped-keys/versions.response", WrappedKeys.VersionCounts.class),
                Arguments.of("wrapped-keys/count.response", WrappedKeys.Count.class),
                Arguments.of("wrapped-keys/page.response", WrappedKeys.Page.class),
                Arguments.of("wrapped-keys/compare-and-set.request", WrappedKeys.CompareAndSet.class),
                Arguments.of("wrapped-keys/compare-and-set.response", WrappedKeys.CompareAndSetResult.class),
                Arguments.of("audit-events/page.response", AuditEventPage.class),
                Arguments.of("audit-signing-keys/keys.response", SigningKeysView.class),
                Arguments.of("workspace-keys/cmk.response", WorkspaceKeyApi.CmkView.class),
                Arguments.of("workspace-keys/version-state.request", WorkspaceKeyApi.VersionStateRequest.class),
                Arguments.of("workspace-keys/detach.request", WorkspaceKeyApi.DetachRequest.class),
                Arguments.of("workspace-keys/detach.response", WorkspaceKeyApi.DetachResult.class),
                Arguments.of("deletion/key-shredding.response", WorkspaceShredding.KeyShreddingResult.class),
                Arguments.of("deletion/data-purge.response", WorkspaceShredding.DataPurgeResult.class),
                Arguments.of("deletion/audit-seal.request", WorkspaceShredding.SealRequest.class),
                Arguments.of("deletion/audit-seal.response", WorkspaceShredding.SealResult.class),
                Arguments.of("status/status.response", ServiceStatus.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void goldenBody_readIntoItsTypeAndWrittenBack_isTheSameJson(String sample, Class<?> type) throws Exception {
        String golden = golden(sample);

        Object body = JSON.readValue(golden, type);

        assertThat(JSON.readTree(JSON.writeValueAsString(body))).isEqualTo(JSON.readTree(golden));
    }

    @Test
    void mintAnswer_writtenOnce_zeroesItsPlaintext_andItsTextNeverShowsIt() throws Exception {
        byte[] plaintext = new byte[32];
        Arrays.fill(plaintext, (byte) 0x5a);
        var minted = new DataKeyApi.MintResponse(plaintext, "d3JhcHBlZA==", "local:k#v1");

        String written = JSON.writeValueAsString(minted);

        assertThat(JSON.readTree(written).path("plaintextDek").binaryValue()).containsOnly(0x5a);
        assertThat(plaintext).containsOnly(0);
        assertThat(minted.toString()).doesNotContain("plaintextDek=[").contains("(secret)");
    }

    @Test
    void unwrapAnswer_read_holdsThePlaintextUntilClosed() throws Exception {
        var answer = JSON.readValue(golden("data-keys/unwrap.response"), DataKeyApi.UnwrapResponse.class);
        DataKeyApi.UnwrapResult opened = answer.items().get(0);
        byte[] plaintext = opened.plaintextDek();

        assertThat(plaintext).hasSize(32).startsWith(0, 1, 2);
        assertThat(answer.items().get(1).plaintextDek()).isNull();
        assertThat(answer.items().get(1).error().status()).isEqualTo(422);
        opened.close();
        assertThat(plaintext).containsOnly(0);
        assertThat(opened.toString()).contains("(secret)");
    }
}
