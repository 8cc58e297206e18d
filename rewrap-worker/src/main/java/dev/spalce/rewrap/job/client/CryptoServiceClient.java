package dev.spalce.rewrap.job.client;

import dev.spalce.contracts.datakey.DataKeyApi.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.RewrapResponse;
import dev.spalce.contracts.keys.WorkspaceKeyApi.CmkView;
import dev.spalce.contracts.keys.WorkspaceKeyApi.DetachRequest;
import dev.spalce.contracts.keys.WorkspaceKeyApi.DetachResult;
import dev.spalce.contracts.keys.WorkspaceKeyApi.VersionStateRequest;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * crypto-service's internal API, called with this service's client-credentials token ({@code spalce-rewrap-worker},
 * allowed to rewrap data keys, read a workspace's key versions, retire old ones and detach previous keys).
 */
@RegisterRestClient(configKey = "crypto-service")
@OidcClientFilter("crypto")
@Path("/internal/v1/workspaces/{workspace}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface CryptoServiceClient {

    /** The workspace's CMK and its versions. */
    @GET
    @Path("/keys")
    Uni<CmkView> keys(@PathParam("workspace") String workspace);

    /** Changes one version's state, e.g. to {@code retirable}. */
    @PUT
    @Path("/keys/versions/{version}/state")
    Uni<CmkView> changeVersionState(
            @PathParam("workspace") String workspace, @PathParam("version") int version, VersionStateRequest request);

    /** Detaches the workspace's previous keys, now that every data key is on {@code rewrappedTo}. */
    @POST
    @Path("/key-detachments")
    Uni<DetachResult> detach(@PathParam("workspace") String workspace, DetachRequest request);

    /** Re-wraps each item under the workspace's current CMK version. */
    @POST
    @Path("/data-keys/rewrap")
    Uni<RewrapResponse> rewrap(@PathParam("workspace") String workspace, BatchRequest request);
}
