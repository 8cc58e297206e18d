package dev.spalce.contracts.datakey;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * crypto-service's internal data-key API, under {@link #PATH}, for data owners (evidence-service) and rewrap-worker:
 * every body, as crypto-service reads and writes it and its clients send and read it.
 * <ul>
 *   <li>{@code POST} with a {@link MintRequest}: a {@link MintResponse};</li>
 *   <li>{@code POST /mint-batch} with a {@link MintBatchRequest}: a {@link MintBatchResponse};</li>
 *   <li>{@code POST /unwrap} with a {@link BatchRequest}: an {@link UnwrapResponse};</li>
 *   <li>{@code POST /rewrap} with a {@link BatchRequest}: a {@link RewrapResponse}.</li>
 * </ul>
 * Wrapped DEKs are base64 strings. A plaintext DEK crosses only in mint and unwrap answers, as a byte array that
 * {@link ErasingBase64Serializer} zeroes once written, that its reader zeroes once it holds the key elsewhere
 * ({@link AutoCloseable#close()}), and that no {@code toString} shows.
 */
public final class DataKeyApi {

    /** The path under a workspace. */
    public static final String PATH = "/internal/v1/workspaces/{workspace}/data-keys";

    private DataKeyApi() {}

    /**
     * Mint a data key for one record.
     *
     * @param recordType the kind of record, e.g. {@code evidence}, {@code personnel}
     * @param recordId the record's id
     */
    public record MintRequest(
            @NotNull @Size(min = 1, max = 256) String recordType,
            @NotNull @Size(min = 1, max = 256) String recordId) {}

    /**
     * A fresh data key. Encrypt the record with {@code plaintextDek}, store {@code wrappedDek} and {@code kmsKeyId}
     * next to the ciphertext, and erase the plaintext at once ({@link #close()}).
     *
     * @param plaintextDek the 32-byte DEK, base64 on the wire
     * @param wrappedDek the DEK wrapped under {@code kmsKeyId}, base64
     * @param kmsKeyId the CMK version that wrapped it
     */
    public record MintResponse(
            @Schema(type = SchemaType.STRING, format = "byte") @JsonSerialize(using = ErasingBase64Serializer.class)
            byte[] plaintextDek,

            String wrappedDek,
            String kmsKeyId)
            implements AutoCloseable {

        /** Zeroes the plaintext DEK. */
        @Override
        public void close() {
            erase(plaintextDek);
        }

        @Override
        public String toString() {
            return "MintResponse[plaintextDek=(secret), wrappedDek=" + wrappedDek + ", kmsKeyId=" + kmsKeyId + "]";
        }
    }

    /**
     * A fresh data key for each of several records of one type (a scan run's results, an import).
     *
     * @param recordType the kind of record, e.g. {@code check-result}
     * @param recordIds 1 to 500 record ids
     */
    public record MintBatchRequest(String recordType, List<String> recordIds) {}

    /** @param items one fresh data key per requested record, in request order */
    public record MintBatchResponse(List<MintResponse> items) {}

    /** 1 to 500 wrapped DEKs (crypto-service's {@code spalce.crypto.batch.max-items}) to unwrap or rewrap. */
    public record BatchRequest(List<WrappedKeyItem> items) {}

    /**
     * Why one item of a batch failed: a problem+json body without the request's fields.
     *
     * @param type the problem type URI
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ItemError(String type, String title, int status, String detail) {}

    /**
     * One unwrapped item: either {@code plaintextDek} (with the {@code kmsKeyId} it came from) or {@code error}.
     *
     * @param plaintextDek the DEK, base64 on the wire
     * @param kmsKeyId the version that had wrapped it
     * @param error why this item could not be unwrapped
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UnwrapResult(
            @Schema(type = SchemaType.STRING, format = "byte") @JsonSerialize(using = ErasingBase64Serializer.class)
            byte[] plaintextDek,

            String kmsKeyId,
            ItemError error)
            implements AutoCloseable {

        /** Zeroes the plaintext DEK, if any. */
        @Override
        public void close() {
            erase(plaintextDek);
        }

        @Override
        public String toString() {
            return "UnwrapResult[plaintextDek=" + (plaintextDek == null ? "null" : "(secret)") + ", kmsKeyId="
                    + kmsKeyId + ", error=" + error + "]";
        }
    }

    /**
     * @param items one result per request item, in request order
     * @param failed how many items carry an error instead of a result: check it
     */
    public record UnwrapResponse(List<UnwrapResult> items, int failed) {}

    /**
     * One rewrapped item: either the DEK wrapped under the current version, or {@code error}.
     *
     * @param wrappedDek the DEK wrapped under {@code kmsKeyId}, base64
     * @param kmsKeyId the current version
     * @param error why this item could not be rewrapped
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RewrapResult(String wrappedDek, String kmsKeyId, ItemError error) {}

    /**
     * @param items one result per request item, in request order
     * @param failed how many items carry an error instead of a result: check it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RewrapResponse(List<RewrapResult> items, int failed) {}

    private static void erase(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
