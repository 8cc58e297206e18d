package dev.spalce.cryptoservice.datakey.api;

import dev.spalce.contracts.datakey.DataKeyBatches.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyBatches.MintBatchRequest;
import dev.spalce.cryptoservice.access.api.CallerAllowed;
import dev.spalce.cryptoservice.access.model.Operation;
import dev.spalce.cryptoservice.common.api.CryptoProblems;
import dev.spalce.cryptoservice.datakey.api.DataKeyDtos.MintBatchResponse;
import dev.spalce.cryptoservice.datakey.api.DataKeyDtos.MintRequest;
import dev.spalce.cryptoservice.datakey.api.DataKeyDtos.MintResponse;
import dev.spalce.cryptoservice.datakey.api.DataKeyDtos.RewrapResponse;
import dev.spalce.cryptoservice.datakey.api.DataKeyDtos.RewrapResult;
import dev.spalce.cryptoservice.datakey.api.DataKeyDtos.UnwrapResponse;
import dev.spalce.cryptoservice.datakey.api.DataKeyDtos.UnwrapResult;
import dev.spalce.cryptoservice.datakey.service.DataKeyService;
import dev.spalce.cryptoservice.datakey.service.ItemResult;
import dev.spalce.cryptoservice.datakey.service.MintedDataKey;
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
 * operation limited to its allow-list. Never routed through the public gateway.
 */
@Path("/internal/v1/workspaces/{workspace}/data-keys")
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

    private static MintResponse mintResponse(MintedDataKey minted) {
        return new MintResponse(
                minted.plaintext(),
                base64(minted.wrapped().bytes()),
                minted.wrapped().kmsKeyId().toString());
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
                .map(minted -> new MintBatchResponse(
                        minted.stream().map(DataKeyResource::mintResponse).toList()));
    }

    /** Plaintext DEKs of a batch of wrapped DEKs, in request order; an item that fails carries its error. */
    @POST
    @Path("/unwrap")
    @CallerAllowed(Operation.UNWRAP)
    public Uni<UnwrapResponse> unwrap(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @NotNull BatchRequest request) {
        return dataKeys.unwrap(workspace, request.items()).map(results -> {
            List<UnwrapResult> items = results.stream()
                    .map(result -> result.error() != null
                            ? new UnwrapResult(null, null, CryptoProblems.asItemError(result.error()))
                            : new UnwrapResult(
                                    result.value().plaintext(),
                                    result.value().kmsKeyId().toString(),
                                    null))
                    .toList();
            return new UnwrapResponse(items, failed(results));
        });
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
        return dataKeys.rewrap(workspace, request.items()).map(results -> {
            List<RewrapResult> items = results.stream()
                    .map(result -> result.error() != null
                            ? new RewrapResult(null, null, CryptoProblems.asItemError(result.error()))
                            : new RewrapResult(
                                    base64(result.value().bytes()),
                                    result.value().kmsKeyId().toString(),
                                    null))
                    .toList();
            return new RewrapResponse(items, failed(results));
        });
    }

    private static int failed(List<? extends ItemResult<?>> results) {
        return (int) results.stream().filter(result -> result.error() != null).count();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
