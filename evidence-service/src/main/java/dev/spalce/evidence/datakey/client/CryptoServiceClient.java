package dev.spalce.evidence.datakey.client;

import dev.spalce.contracts.datakey.DataKeyApi;
import dev.spalce.contracts.datakey.DataKeyApi.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintBatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintBatchResponse;
import dev.spalce.contracts.datakey.DataKeyApi.MintRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintResponse;
import dev.spalce.contracts.datakey.DataKeyApi.UnwrapResponse;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * crypto-service's internal data-key API ({@link DataKeyApi}), called with this service's client-credentials token
 * for crypto-service's audience ({@code spalce-evidence-service}, allowed to mint and unwrap). Plaintext keys in the
 * answers arrive in arrays their reader zeroes.
 */
@RegisterRestClient(configKey = "crypto-service")
@OidcClientFilter("crypto")
@Path(DataKeyApi.PATH)
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
}
