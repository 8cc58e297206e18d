package dev.spalce.audit.api;

import dev.spalce.audit.signing.SigningKeys;
import dev.spalce.auditchain.ChainVerifier;
import dev.spalce.auditchain.VerificationReport;
import dev.spalce.contracts.audit.SigningKeysView;
import dev.spalce.kit.api.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Verification of an uploaded export, and the public keys that checkpoints are signed with. */
@Path("/internal/v1")
@Authenticated
public class AuditVerificationResource {

    private final SigningKeys keys;

    public AuditVerificationResource(SigningKeys keys) {
        this.keys = keys;
    }

    /**
     * Verifies a JSON Lines export, as the offline verifier does, against the service's pinned keys, or against
     * {@code trustedKey} (base64 X.509, repeatable) when given.
     */
    @POST
    @Path("/audit-exports/verification")
    @Consumes({"application/jsonl", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public VerificationReport verifyUpload(InputStream export, @QueryParam("trustedKey") List<String> trustedKeys) {
        List<byte[]> trusted;
        try {
            trusted = trustedKeys.stream()
                    .map(key -> Base64.getDecoder().decode(key.strip()))
                    .toList();
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("a trustedKey is not base64");
        }
        return new ChainVerifier(trusted.isEmpty() ? keys.pinned() : trusted)
                .verify(new BufferedReader(new InputStreamReader(export, StandardCharsets.UTF_8)));
    }

    /** The public keys checkpoints are signed with, for the gateway's unauthenticated well-known path. */
    @GET
    @Path("/audit-signing-keys")
    @Produces(MediaType.APPLICATION_JSON)
    public SigningKeysView signingKeys() {
        return AuditBodies.signingKeys(keys.published());
    }
}
