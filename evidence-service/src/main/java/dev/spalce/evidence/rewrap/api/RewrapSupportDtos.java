package dev.spalce.evidence.rewrap.api;

import java.util.List;
import java.util.Map;

/**
 * The bodies of the rewrap support API that are evidence-service's own; the rest is the shared contract
 * {@link dev.spalce.contracts.rewrap.WrappedKeys} (docs/evidence.md).
 */
public final class RewrapSupportDtos {

    private RewrapSupportDtos() {}

    /**
     * @param kmsKeyId a CMK version
     * @param records how many records have their DEK wrapped under it
     * @param byRecordType the same, per record type
     */
    public record VersionCountView(String kmsKeyId, long records, Map<String, Long> byRecordType) {}

    public record VersionCounts(List<VersionCountView> versions) {}

    /** @param outcome {@code applied}, {@code conflict} (changed since read) or {@code not-found} (deleted) */
    public record SwapResult(String recordType, String recordId, String outcome) {}

    /**
     * {@link dev.spalce.contracts.rewrap.WrappedKeys.Applied} with each item's outcome, in request order.
     *
     * @param applied how many items were stored
     */
    public record CompareAndSetResult(int applied, List<SwapResult> items) {}
}
