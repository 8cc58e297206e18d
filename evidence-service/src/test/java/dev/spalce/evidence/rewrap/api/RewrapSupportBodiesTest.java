package dev.spalce.evidence.rewrap.api;

import static dev.spalce.evidence.support.GoldenBodies.R1;
import static dev.spalce.evidence.support.GoldenBodies.R2;
import static dev.spalce.evidence.support.GoldenBodies.R3;
import static dev.spalce.evidence.support.GoldenBodies.V1;
import static dev.spalce.evidence.support.GoldenBodies.V2;
import static dev.spalce.evidence.support.GoldenBodies.golden;
import static dev.spalce.evidence.support.GoldenBodies.json;
import static dev.spalce.evidence.support.GoldenBodies.read;
import static dev.spalce.evidence.support.GoldenBodies.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.contracts.rewrap.WrappedKeys.CompareAndSet;
import dev.spalce.contracts.rewrap.WrappedKeys.Count;
import dev.spalce.evidence.rewrap.repository.WrappedKeyRepository.VersionCount;
import dev.spalce.evidence.rewrap.service.RewrapSupportService.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * evidence-service's side of the rewrap support API against the golden bodies (libs/contracts): the answers it
 * writes for fixed rows and outcomes, through the resource's own mapping, are the samples, and the worker's
 * compare-and-set request reads into the type it takes.
 */
class RewrapSupportBodiesTest {

    @Test
    void page_ofThreeStoredRows_isTheGoldenBody() throws Exception {
        var page = RewrapSupportResource.page(
                List.of(row("evidence", R1), row("personnel", R2), row("personnel", R3)), "personnel/" + R3);

        assertThat(json(page)).isEqualTo(golden("wrapped-keys/page.response"));
    }

    @Test
    void versionCounts_perVersionAndType_areTheGoldenBody() throws Exception {
        var counts = RewrapSupportResource.versionCounts(List.of(
                new VersionCount(V1, "evidence", 1),
                new VersionCount(V1, "personnel", 2),
                new VersionCount(V2, "check-result", 1)));

        assertThat(json(counts)).isEqualTo(golden("wrapped-keys/versions.response"));
        assertThat(json(new Count(3))).isEqualTo(golden("wrapped-keys/count.response"));
    }

    @Test
    void goldenCompareAndSet_readsAndItsOutcomes_areTheGoldenAnswer() throws Exception {
        CompareAndSet request = read("wrapped-keys/compare-and-set.request", CompareAndSet.class);

        var result = RewrapSupportResource.compareAndSetResult(request, List.of(Outcome.APPLIED, Outcome.CONFLICT));

        assertThat(request.items())
                .hasSize(2)
                .allSatisfy(swap -> assertThat(swap.kmsKeyId()).isEqualTo(V2));
        assertThat(json(result)).isEqualTo(golden("wrapped-keys/compare-and-set.response"));
    }
}
