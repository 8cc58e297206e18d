package dev.spalce.gateway.downstream.client;

import dev.spalce.contracts.status.ServiceStatus;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Any internal service's status endpoint (service kit), called with the gateway's service token for that service
 * (built with its {@link ServiceTokenFilters} filter).
 */
@Path(ServiceStatus.PATH)
public interface ServiceStatusClient {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<ServiceStatus> status();
}
