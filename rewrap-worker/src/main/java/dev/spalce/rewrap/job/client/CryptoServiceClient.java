package dev.spalce.rewrap.job.client;

import dev.spalce.contracts.datakey.DataKeyBatches.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyBatches.RewrapResponse;
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
 * crypto-service's internal API, called with this service's client-credentials token ({@code spalce-rewrap-worker},
 * allowed to rewrap data keys, read a workspace's key versions and retire old ones).
 */
@RegisterRestClient(configKey = "crypto-service")
@OidcClientFilter
@Path("/internal/v1/workspaces/{workspace}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface CryptoServiceClient {

    /** Re-wraps each item under the workspace's current CMK version. */
    @POST
    @Path("/data-keys/rewrap")
    Uni<RewrapResponse> rewrap(@PathParam("workspace") String workspace, BatchRequest request);
}
