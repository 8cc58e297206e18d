package dev.spalce.gateway.downstream.client;

import dev.spalce.contracts.audit.AuditEventPage;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** audit-log-service's internal query API, called with the gateway's service token for audit-log-service's audience. */
@RegisterRestClient(configKey = "audit-log-service")
@OidcClientFilter("audit")
@Path("/internal/v1/workspaces/{workspace}/audit-events")
public interface AuditLogClient {

    /** A page of events, newest first. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<AuditEventPage> find(
            @PathParam("workspace") String workspace,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("limit") int limit);
}
