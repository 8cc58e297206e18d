package dev.spalce.cryptoservice.datakey.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.spalce.crypto.SecretBytes;
import dev.spalce.kit.api.Problem;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The bodies of the data-key API that carry a plaintext DEK, or that only crypto-service writes; requests without
 * one are {@link dev.spalce.contracts.datakey.DataKeyBatches}' records, shared with the clients.
 */
public final class DataKeyDtos {

    private DataKeyDtos() {}

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
     * next to the ciphertext, and erase the plaintext at once.
     *
     * @param plaintextDek the 32-byte DEK, base64
     * @param wrappedDek the DEK wrapped under {@code kmsKeyId}, base64
     * @param kmsKeyId the CMK version that wrapped it
     */
    public record MintResponse(
            @Schema(type = SchemaType.STRING, format = "byte") @JsonSerialize(using = SecretBase64Serializer.class)
            SecretBytes plaintextDek,

            String wrappedDek,
            String kmsKeyId) {}

    /** @param items one fresh data key per requested record, in request order */
    public record MintBatchResponse(List<MintResponse> items) {}

    /**
     * One unwrapped item: either {@code plaintextDek} (with the {@code kmsKeyId} it came from) or {@code error}.
     *
     * @param plaintextDek the DEK, base64
     * @param kmsKeyId the version that had wrapped it
     * @param error why this item could not be unwrapped (type, title, status, detail)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UnwrapResult(
            @Schema(type = SchemaType.STRING, format = "byte") @JsonSerialize(using = SecretBase64Serializer.class)
            SecretBytes plaintextDek,

            String kmsKeyId,
            Problem error) {}

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
    public record RewrapResult(String wrappedDek, String kmsKeyId, Problem error) {}

    /**
     * @param items one result per request item, in request order
     * @param failed how many items carry an error instead of a result: check it
     */
    public record RewrapResponse(List<RewrapResult> items, int failed) {}
}
