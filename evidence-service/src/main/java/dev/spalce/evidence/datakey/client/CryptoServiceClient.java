package dev.spalce.evidence.datakey.client;

import dev.spalce.contracts.datakey.DataKeyBatches.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyBatches.ItemError;
import dev.spalce.contracts.datakey.DataKeyBatches.MintBatchRequest;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * crypto-service's internal data-key API (see its DataKeyResource), called with this service's
 * client-credentials token for crypto-service's audience ({@code spalce-evidence-service}, allowed to mint and unwrap). Requests without a
 * plaintext key are the shared contract's ({@code DataKeyBatches}); answers with one are read here into arrays
 * their reader zeroes.
 */
@RegisterRestClient(configKey = "crypto-service")
@OidcClientFilter("crypto")
@Path("/internal/v1/workspaces/{workspace}/data-keys")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface CryptoServiceClient {

    @POST
    Uni<MintResponse> mint(@PathParam("workspace") String workspace, MintRequest request);

    @POST
    @Path("/mint-batch")
    Uni<MintBatchResponse> mintBatch(@PathParam("workspace") String workspace, MintBatchRequest request);

    @POST
    @Path("/unwrap")
    Uni<UnwrapResponse> unwrap(@PathParam("workspace") String workspace, BatchRequest request);

    record MintRequest(String recordType, String recordId) {}

    /** {@code plaintextDek} is decoded from base64 straight into an array its reader zeroes. */
    record MintResponse(byte[] plaintextDek, String wrappedDek, String kmsKeyId) {}

    record MintBatchResponse(List<MintResponse> items) {}

    record UnwrapResult(byte[] plaintextDek, String kmsKeyId, ItemError error) {}

    record UnwrapResponse(List<UnwrapResult> items, int failed) {}
}
