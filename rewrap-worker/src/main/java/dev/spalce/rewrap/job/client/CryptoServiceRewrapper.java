package dev.spalce.rewrap.job.client;

import dev.spalce.contracts.datakey.DataKeyApi.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.RewrapResult;
import dev.spalce.contracts.datakey.WrappedKeyItem;
import dev.spalce.contracts.keys.KeyVersionState;
import dev.spalce.contracts.keys.WorkspaceKeyApi.DetachRequest;
import dev.spalce.contracts.keys.WorkspaceKeyApi.VersionStateRequest;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.rewrap.job.service.port.KeyRewrapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@link KeyRewrapper} over crypto-service's {@code data-keys/rewrap}. A 503 (crypto-service or the customer's KMS
 * cannot answer now, or throttles), a 429 and a connection failure become a 503 problem, which the job runner backs
 * off from; anything else fails the batch as it came.
 */
@ApplicationScoped
public class CryptoServiceRewrapper implements KeyRewrapper {

    private final CryptoServiceClient client;

    public CryptoServiceRewrapper(@RestClient CryptoServiceClient client) {
        this.client = client;
    }

    @Override
    public Uni<List<RewrapResult>> rewrap(String workspaceId, List<WrappedKeyItem> keys) {
        return Unavailability.mapped("crypto-service", client.rewrap(workspaceId, new BatchRequest(keys)))
                .map(response -> {
                    if (response.items() == null || response.items().size() != keys.size()) {
                        throw new IllegalStateException("crypto-service answered a batch of " + keys.size() + " with "
                                + (response.items() == null
                                        ? 0
                                        : response.items().size()) + " results");
                    }
                    return response.items();
                });
    }

    @Override
    public Uni<List<String>> detachFormerKeys(String workspaceId, String kmsKeyId) {
        return Unavailability.mapped("crypto-service", client.detach(workspaceId, new DetachRequest(kmsKeyId)))
                .map(answer -> answer.detached() == null
                        ? List.of()
                        : answer.detached().stream()
                                .map(key -> key.provider() + ":" + key.keyReference())
                                .toList());
    }

    @Override
    public Uni<List<Integer>> markOlderVersionsRetirable(String workspaceId, String kmsKeyId) {
        KmsKeyId target = KmsKeyId.parse(kmsKeyId);
        return Unavailability.mapped("crypto-service", client.keys(workspaceId))
                .chain(keys -> Multi.createFrom()
                        .iterable(keys.versions())
                        // Versions of the target's key only: after a change of key the current key's versions
                        // are numbered from 1 again, and say nothing about an older key's.
                        .filter(version ->
                                target.withVersion(version.version()).toString().equals(version.kmsKeyId())
                                        && version.version() < target.version()
                                        && version.state() == KeyVersionState.ENABLED)
                        .onItem()
                        .transformToUniAndConcatenate(version -> Unavailability.mapped(
                                        "crypto-service",
                                        client.changeVersionState(
                                                workspaceId,
                                                version.version(),
                                                new VersionStateRequest(KeyVersionState.RETIRABLE)))
                                .replaceWith(version.version()))
                        .collect()
                        .asList());
    }
}
