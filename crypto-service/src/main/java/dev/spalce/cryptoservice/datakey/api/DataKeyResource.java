package dev.spalce.cryptoservice.datakey.api;

import dev.spalce.contracts.datakey.DataKeyApi;
import dev.spalce.contracts.datakey.DataKeyApi.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintBatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintBatchResponse;
import dev.spalce.contracts.datakey.DataKeyApi.MintRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintResponse;
import dev.spalce.contracts.datakey.DataKeyApi.RewrapResponse;
import dev.spalce.contracts.datakey.DataKeyApi.RewrapResult;
import dev.spalce.contracts.datakey.DataKeyApi.UnwrapResponse;
import dev.spalce.contracts.datakey.DataKeyApi.UnwrapResult;
import dev.spalce.crypto.InsecureKeyAccess;
import dev.spalce.crypto.SecretBytes;
import dev.spalce.cryptoservice.access.api.CallerAllowed;
import dev.spalce.cryptoservice.access.model.Operation;
import dev.spalce.cryptoservice.common.api.CryptoProblems;
import dev.spalce.cryptoservice.datakey.service.DataKeyService;
import dev.spalce.cryptoservice.datakey.service.ItemResult;
import dev.spalce.cryptoservice.datakey.service.MintedDataKey;
import dev.spalce.cryptoservice.datakey.service.UnwrappedDataKey;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.kit.api.WorkspaceIds;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Base64;
import java.util.List;

/**
 * Internal data-key API for data owners (evidence-service) and rewrap-worker: service identities only, each
 * operation limited to its allow-list. Never routed through the public gateway. The bodies are the contract's
 * ({@link DataKeyApi}); a plaintext DEK is copied out of its secret into the answer's array, which is zeroed once
 * written.
 */
@Path(DataKeyApi.PATH)
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class DataKeyResource {

    private final DataKeyService dataKeys;

    public DataKeyResource(DataKeyService dataKeys) {
        this.dataKeys = dataKeys;
    }

    /** A fresh DEK for one record, in plaintext and wrapped under the workspace's current CMK version. */
    @POST
    @CallerAllowed(Operation.MINT)
    public Uni<MintResponse> mint(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @Valid @NotNull MintRequest request) {
        return dataKeys.mint(workspace, request.recordType(), request.recordId())
                .map(DataKeyResource::mintResponse);
    }

    static MintResponse mintResponse(MintedDataKey minted) {
        try (minted) {
            return new MintResponse(
                    plaintext(minted.plaintext()),
                    base64(minted.wrapped().bytes()),
                    minted.wrapped().kmsKeyId().toString());
        }
    }

    /**
     * A fresh DEK for each of a batch of records, all wrapped under the current CMK version, in request order. All
     * or nothing: a provider failure fails the whole batch.
     */
    @POST
    @Path("/mint-batch")
    @CallerAllowed(Operation.MINT)
    public Uni<MintBatchResponse> mintBatch(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @NotNull MintBatchRequest request) {
        return dataKeys.mintAll(workspace, request.recordType(), request.recordIds())
                .map(DataKeyResource::mintBatchResponse);
    }

    /** Plaintext DEKs of a batch of wrapped DEKs, in request order; an item that fails carries its error. */
    @POST
    @Path("/unwrap")
    @CallerAllowed(Operation.UNWRAP)
    public Uni<UnwrapResponse> unwrap(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @NotNull BatchRequest request) {
        return dataKeys.unwrap(workspace, request.items()).map(DataKeyResource::unwrapResponse);
    }

    /**
     * A batch of wrapped DEKs moved to the workspace's current CMK version, in request order (server-side
     * re-encrypt where the provider has one); an item that fails carries its error.
     */
    @POST
    @Path("/rewrap")
    @CallerAllowed(Operation.REWRAP)
    public Uni<RewrapResponse> rewrap(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @NotNull BatchRequest request) {
        return dataKeys.rewrap(workspace, request.items()).map(DataKeyResource::rewrapResponse);
    }

    static MintBatchResponse mintBatchResponse(List<MintedDataKey> minted) {
        return new MintBatchResponse(
                minted.stream().map(DataKeyResource::mintResponse).toList());
    }

    static UnwrapResponse unwrapResponse(List<ItemResult<UnwrappedDataKey>> results) {
        List<UnwrapResult> items = results.stream()
                .map(result -> {
                    if (result.error() != null) {
                        return new UnwrapResult(null, null, CryptoProblems.asItemError(result.error()));
                    }
                    try (UnwrappedDataKey key = result.value()) {
                        return new UnwrapResult(
                                plaintext(key.plaintext()), key.kmsKeyId().toString(), null);
                    }
                })
                .toList();
        return new UnwrapResponse(items, failed(results));
    }

    static RewrapResponse rewrapResponse(List<ItemResult<WrappedKey>> results) {
        List<RewrapResult> items = results.stream()
                .map(result -> result.error() != null
                        ? new RewrapResult(null, null, CryptoProblems.asItemError(result.error()))
                        : new RewrapResult(
                                base64(result.value().bytes()),
                                result.value().kmsKeyId().toString(),
                                null))
                .toList();
        return new RewrapResponse(items, failed(results));
    }

    /** A copy of the secret for the answer, zeroed once written; the caller closes the secret. */
    private static byte[] plaintext(SecretBytes secret) {
        return secret.toByteArray(InsecureKeyAccess.get());
    }

    private static int failed(List<? extends ItemResult<?>> results) {
        return (int) results.stream().filter(result -> result.error() != null).count();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
