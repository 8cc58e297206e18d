package dev.spalce.gateway.downstream.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Any internal service's status endpoint (service kit), called with the gateway's service token for that service
 * (built with its {@link ServiceTokenFilters} filter).
 */
@Path("/internal/v1/status")
public interface ServiceStatusClient {

    /** What an internal service says of itself. */
    record ServiceStatus(String service, String status) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<ServiceStatus> status();
}
