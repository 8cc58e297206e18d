package dev.spalce.contracts.rewrap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The rewrap support API of a data owner (evidence-service), which rewrap-worker calls with its own service
 * identity. Paths, under {@code /internal/v1/workspaces/{workspace}/wrapped-keys}:
 * <ul>
 *   <li>{@code GET /count?notOn={kmsKeyId}}: {@link Count} of the records whose data key is not wrapped under
 *       that version;</li>
 *   <li>{@code GET ?notOn={kmsKeyId}&after={cursor}&limit={n}}: a {@link Page} of them in a stable order, after
 *       the cursor (omitted: from the start); records moved meanwhile simply no longer appear;</li>
 *   <li>{@code POST /compare-and-set} with a {@link CompareAndSet}: writes each new wrapped key only where the
 *       record still holds the expected one, answering {@link Applied}.</li>
 * </ul>
 * Wrapped keys are base64; no plaintext key ever crosses this API.
 */
public final class WrappedKeys {

    /** The path under a workspace. */
    public static final String PATH = "/internal/v1/workspaces/{workspace}/wrapped-keys";

    private WrappedKeys() {}

    /** One record's data key as stored. */
    public record Item(String recordType, String recordId, String kmsKeyId, String wrappedDek) {}

    /** @param nextCursor where the next page starts; absent after the last page */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page(List<Item> items, String nextCursor) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Count(long count) {}

    /** A new wrapped key for a record, to be written only where it still holds {@code expectedWrappedDek}. */
    public record Swap(
            String recordType, String recordId, String expectedWrappedDek, String wrappedDek, String kmsKeyId) {}

    public record CompareAndSet(List<Swap> items) {}

    /** @param applied how many swaps were written; the others found a record changed meanwhile (or gone) */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Applied(int applied) {}
}
