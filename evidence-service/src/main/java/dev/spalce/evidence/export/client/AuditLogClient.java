package dev.spalce.evidence.export.client;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * audit-log-service's verifiable export of one workspace's log (JSON Lines with its signed checkpoints, see
 * docs/audit-log.md), called with this service's client-credentials token for audit-log-service's audience
 * ({@code spalce-evidence-service} is on that endpoint's allow-list). The body arrives as a stream of chunks, so
 * that a log of any length passes through in bounded memory.
 */
@RegisterRestClient(configKey = "audit-log-service")
@OidcClientFilter("audit")
@Path("/internal/v1/workspaces/{workspace}/audit-events")
public interface AuditLogClient {

    @GET
    @Path("/export.jsonl")
    @Produces(MediaType.TEXT_PLAIN)
    Multi<byte[]> exportJsonLines(@PathParam("workspace") String workspace);
}
