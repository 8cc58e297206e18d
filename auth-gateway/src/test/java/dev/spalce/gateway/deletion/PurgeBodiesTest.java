package dev.spalce.gateway.deletion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.spalce.contracts.deletion.WorkspaceShredding.DataPurgeResult;
import dev.spalce.contracts.deletion.WorkspaceShredding.KeyShreddingResult;
import dev.spalce.contracts.deletion.WorkspaceShredding.SealRequest;
import dev.spalce.gateway.deletion.service.WorkspaceDeletionService.DeletionState;
import dev.spalce.gateway.deletion.service.WorkspacePurger;
import dev.spalce.gateway.workspace.model.WorkspaceDeletion;
import dev.spalce.testsupport.GoldenSamples;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The gateway's side of the purge's bodies: the final audit entry's details it builds from crypto-service's and
 * evidence-service's golden answers are the golden seal request's, key for key.
 */
class PurgeBodiesTest {

    private static final ObjectMapper JSON =
            JsonMapper.builder().findAndAddModules().build();

    @Test
    void sealDetails_fromTheGoldenAnswersOfTheFirstTwoSteps_areTheGoldenSealRequests() throws Exception {
        KeyShreddingResult keys =
                JSON.readValue(GoldenSamples.load("deletion/key-shredding.response"), KeyShreddingResult.class);
        DataPurgeResult data =
                JSON.readValue(GoldenSamples.load("deletion/data-purge.response"), DataPurgeResult.class);
        SealRequest golden = JSON.readValue(GoldenSamples.load("deletion/audit-seal.request"), SealRequest.class);
        WorkspaceDeletion deletion = new WorkspaceDeletion();
        deletion.workspaceId = UUID.randomUUID();
        deletion.requestedBy = "owner-7f3a";
        deletion.requestedAt = Instant.parse("2026-12-07T09:00:00Z");
        deletion.purgeAfter = Instant.parse("2026-12-14T09:00:00Z");

        SealRequest built = WorkspacePurger.sealRequest(new DeletionState(deletion, keys, data, List.of()));

        assertThat(built).isEqualTo(golden);
    }
}
