package dev.spalce.rewrap.job.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.spalce.contracts.datakey.DataKeyBatches.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyBatches.RewrapResponse;
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
import java.util.List;
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
    Uni<KeyVersions> keys(@PathParam("workspace") String workspace);

    /** Changes one version's state, e.g. to {@code retirable}. */
    @PUT
    @Path("/keys/versions/{version}/state")
    Uni<KeyVersions> changeVersionState(
            @PathParam("workspace") String workspace, @PathParam("version") int version, VersionState request);

    /** What rewrap-worker reads of a workspace's CMK. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record KeyVersions(int currentVersion, List<Version> versions) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Version(int version, String kmsKeyId, String state) {}

    record VersionState(String state) {}

    /** Detaches the workspace's previous keys, now that every data key is on {@code rewrappedTo}. */
    @POST
    @Path("/key-detachments")
    Uni<Detached> detach(@PathParam("workspace") String workspace, DetachRequest request);

    record DetachRequest(String rewrappedTo) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Detached(List<DetachedKey> detached) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record DetachedKey(String provider, String keyReference) {}

    /** Re-wraps each item under the workspace's current CMK version. */
    @POST
    @Path("/data-keys/rewrap")
    Uni<RewrapResponse> rewrap(@PathParam("workspace") String workspace, BatchRequest request);
}
