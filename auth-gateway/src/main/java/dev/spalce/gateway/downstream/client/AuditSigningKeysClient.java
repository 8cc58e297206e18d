package dev.spalce.gateway.downstream.client;

import dev.spalce.contracts.audit.SigningKeysView;
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
@Path(SigningKeysView.PATH)
public interface AuditSigningKeysClient {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<SigningKeysView> signingKeys();
}
