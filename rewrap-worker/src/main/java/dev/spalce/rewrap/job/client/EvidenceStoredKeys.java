package dev.spalce.rewrap.job.client;

import dev.spalce.contracts.rewrap.WrappedKeys;
import dev.spalce.contracts.rewrap.WrappedKeys.Page;
import dev.spalce.contracts.rewrap.WrappedKeys.Swap;
import dev.spalce.rewrap.job.service.port.StoredKeys;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@link StoredKeys} over evidence-service's rewrap support API. evidence-service being down or overloaded (a
 * connection failure, 503, 429) becomes a 503 problem, which the job runner backs off from.
 */
@ApplicationScoped
public class EvidenceStoredKeys implements StoredKeys {

    private final EvidenceServiceClient client;

    public EvidenceStoredKeys(@RestClient EvidenceServiceClient client) {
        this.client = client;
    }

    @Override
    public Uni<Long> countNotOn(String workspaceId, String targetKmsKeyId) {
        return Unavailability.mapped("evidence-service", client.count(workspaceId, targetKmsKeyId))
                .map(WrappedKeys.Count::count);
    }

    @Override
    public Uni<Page> pageNotOn(String workspaceId, String targetKmsKeyId, String cursor, int limit) {
        return Unavailability.mapped("evidence-service", client.page(workspaceId, targetKmsKeyId, cursor, limit))
                .map(page -> page.items() == null ? new Page(List.of(), page.nextCursor()) : page);
    }

    @Override
    public Uni<Integer> compareAndSet(String workspaceId, List<Swap> keys) {
        return Unavailability.mapped(
                        "evidence-service", client.compareAndSet(workspaceId, new WrappedKeys.CompareAndSet(keys)))
                .map(WrappedKeys.CompareAndSetResult::applied);
    }
}
