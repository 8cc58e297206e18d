package dev.spalce.gateway.downstream.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The public keys audit-log-service signs checkpoints with, read with the gateway's service token for its audience. */
@RegisterRestClient(configKey = "audit-log-service")
@OidcClientFilter("audit")
@Path("/internal/v1/audit-signing-keys")
public interface AuditSigningKeysClient {

    /** {@code {keys: [{algorithm, keyId, publicKey, current}]}}, passed through as audit-log-service returns it. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> signingKeys();
}
