package dev.spalce.gateway.routing.api;

import dev.spalce.gateway.routing.service.InternalTokenIssuer;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** The public key of the internal tokens, as a JWK set: the internal services verify the gateway's calls with it. */
@Path("/internal/v1/token-keys")
@PermitAll
public class TokenKeysResource {

    private final InternalTokenIssuer issuer;

    public TokenKeysResource(InternalTokenIssuer issuer) {
        this.issuer = issuer;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> keys() {
        return issuer.jwks();
    }
}
