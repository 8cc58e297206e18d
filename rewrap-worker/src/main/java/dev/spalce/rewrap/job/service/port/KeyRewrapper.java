package dev.spalce.rewrap.job.service.port;

import dev.spalce.contracts.datakey.DataKeyApi.RewrapResult;
import dev.spalce.contracts.datakey.WrappedKeyItem;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** crypto-service's side of a rewrap: moves wrapped DEKs to the workspace's current CMK version. */
public interface KeyRewrapper {

    /**
     * Re-wraps each key under the current version (server-side re-encryption where the provider has it: the DEK
     * never leaves the KMS). One result per key, in request order: the new wrapped DEK and version, or the error
     * that one item failed with.
     *
     * @throws dev.spalce.kit.api.ProblemException with status 503 (as a failed Uni) when crypto-service or the
     *     provider cannot answer now, for the whole batch
     */
    Uni<List<RewrapResult>> rewrap(String workspaceId, List<WrappedKeyItem> keys);

    /**
     * Marks every enabled version of the workspace's CMK older than {@code kmsKeyId} as retirable: no stored data
     * key references them any more (they still unwrap until an Owner retires them). The versions marked.
     */
    Uni<List<Integer>> markOlderVersionsRetirable(String workspaceId, String kmsKeyId);

    /**
     * Detaches the workspace's previous keys (those it changed from): every stored data key is on {@code kmsKeyId},
     * a version of its current key. Each detached key unwraps nothing more, and its owner may disable it. The keys
     * detached, as {@code <provider>:<key reference>}; none when there were none.
     */
    Uni<List<String>> detachFormerKeys(String workspaceId, String kmsKeyId);
}
