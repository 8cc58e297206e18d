package dev.spalce.rewrap.job.client;

import dev.spalce.contracts.rewrap.WrappedKeys;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** evidence-service's rewrap support API ({@link WrappedKeys}), called with this service's client-credentials token. */
@RegisterRestClient(configKey = "evidence-service")
@OidcClientFilter("evidence")
@Path(WrappedKeys.PATH)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface EvidenceServiceClient {

    @GET
    @Path("/count")
    Uni<WrappedKeys.Count> count(@PathParam("workspace") String workspace, @QueryParam("notOn") String notOn);

    @GET
    Uni<WrappedKeys.Page> page(
            @PathParam("workspace") String workspace,
            @QueryParam("notOn") String notOn,
            @QueryParam("after") String after,
            @QueryParam("limit") int limit);

    @POST
    @Path("/compare-and-set")
    Uni<WrappedKeys.CompareAndSetResult> compareAndSet(
            @PathParam("workspace") String workspace, WrappedKeys.CompareAndSet request);
}
