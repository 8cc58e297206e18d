package dev.spalce.contracts.datakey;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The bodies of crypto-service's batch data-key calls that carry no plaintext key (requests to
 * {@code POST /internal/v1/workspaces/{workspace}/data-keys/mint-batch}, {@code …/unwrap} and {@code …/rewrap}, and
 * the answers of {@code …/rewrap}), as crypto-service reads them and its clients send and read them. Bodies with a
 * plaintext DEK stay with each side, which holds it in a type it erases.
 */
public final class DataKeyBatches {

    private DataKeyBatches() {}

    /**
     * One wrapped DEK, with the record it was minted for (the wrap is bound to it).
     *
     * @param kmsKeyId the version that wrapped it, canonical form
     * @param wrappedDek the wrapped DEK, base64
     */
    public record BatchItem(String kmsKeyId, String wrappedDek, String recordType, String recordId) {}

    /** 1 to 500 items (crypto-service's {@code spalce.crypto.batch.max-items}). */
    public record BatchRequest(List<BatchItem> items) {}

    /**
     * A fresh data key for each of several records of one type (a scan run's results, an import).
     *
     * @param recordType the kind of record, e.g. {@code check-result}
     * @param recordIds 1 to 500 record ids
     */
    public record MintBatchRequest(String recordType, List<String> recordIds) {}

    /** Why one item failed: a problem+json body without the request's fields. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ItemError(String type, String title, int status, String detail) {}

    /** One item re-wrapped under the current version, or its error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RewrapResult(String wrappedDek, String kmsKeyId, ItemError error) {}

    /**
     * @param items one per request item, in request order
     * @param failed how many carry an error
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RewrapResponse(List<RewrapResult> items, int failed) {}
}
