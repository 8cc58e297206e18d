package dev.spalce.contracts.rewrap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spalce.contracts.datakey.WrappedKeyItem;
import java.util.List;
import java.util.Map;

/**
 * The rewrap support API of a data owner (evidence-service), which rewrap-worker calls with its own service
 * identity: every body, as the data owner writes and reads it and the worker sends and reads it. Paths, under
 * {@link #PATH}:
 * <ul>
 *   <li>{@code GET /versions}: {@link VersionCounts}, how many records each CMK version wraps;</li>
 *   <li>{@code GET /count?notOn={kmsKeyId}}: {@link Count} of the records whose data key is not wrapped under
 *       that version;</li>
 *   <li>{@code GET ?notOn={kmsKeyId}&after={cursor}&limit={n}}: a {@link Page} of them in a stable order, after
 *       the cursor (omitted: from the start); records moved meanwhile simply no longer appear;</li>
 *   <li>{@code POST /compare-and-set} with a {@link CompareAndSet}: writes each new wrapped key only where the
 *       record still holds the expected one, answering {@link CompareAndSetResult}.</li>
 * </ul>
 * Wrapped keys are base64; no plaintext key ever crosses this API.
 */
public final class WrappedKeys {

    /** The path under a workspace. */
    public static final String PATH = "/internal/v1/workspaces/{workspace}/wrapped-keys";

    private WrappedKeys() {}

    /**
     * @param kmsKeyId a CMK version
     * @param records how many records have their DEK wrapped under it
     * @param byRecordType the same, per record type
     */
    public record VersionCountView(String kmsKeyId, long records, Map<String, Long> byRecordType) {}

    public record VersionCounts(List<VersionCountView> versions) {}

    /** @param nextCursor where the next page starts; absent after the last page */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page(List<WrappedKeyItem> items, String nextCursor) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Count(long count) {}

    /** A new wrapped key for a record, to be written only where it still holds {@code expectedWrappedDek}. */
    public record Swap(
            String recordType, String recordId, String expectedWrappedDek, String wrappedDek, String kmsKeyId) {}

    public record CompareAndSet(List<Swap> items) {}

    /** @param outcome {@code applied}, {@code conflict} (changed since read) or {@code not-found} (deleted) */
    public record SwapResult(String recordType, String recordId, String outcome) {}

    /**
     * @param applied how many swaps were written; the others found a record changed meanwhile (or gone)
     * @param items each swap's outcome, in request order
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CompareAndSetResult(int applied, List<SwapResult> items) {}
}
