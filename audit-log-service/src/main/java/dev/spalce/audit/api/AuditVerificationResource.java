package dev.spalce.audit.api;

import dev.spalce.audit.service.CheckpointService;
import dev.spalce.auditchain.ChainVerifier;
import dev.spalce.auditchain.VerificationReport;
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

/** Verification of an uploaded export, and the public key that checkpoints are signed with. */
@Path("/internal/v1")
@Authenticated
public class AuditVerificationResource {

    private final CheckpointService checkpoints;

    public AuditVerificationResource(CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    /**
     * Verifies a JSON Lines export, as the offline verifier does; {@code trustedKey} (base64 X.509, repeatable)
     * requires checkpoints to be signed by one of those keys.
     */
    @POST
    @Path("/audit-exports/verification")
    @Consumes({"application/jsonl", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public VerificationReport verifyUpload(InputStream export, @QueryParam("trustedKey") List<String> trustedKeys) {
        List<byte[]> trusted;
        try {
            trusted = trustedKeys.stream().map(key -> Base64.getDecoder().decode(key.strip())).toList();
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("a trustedKey is not base64");
        }
        return new ChainVerifier(trusted).verify(new BufferedReader(new InputStreamReader(export, StandardCharsets.UTF_8)));
    }

    /**
     * @param algorithm always Ed25519
     * @param keyId the first 16 hex digits of SHA-256 over the public key, as checkpoints name it
     * @param publicKey X.509 SubjectPublicKeyInfo DER, base64
     */
    public record SigningKey(String algorithm, String keyId, String publicKey) {
    }

    @GET
    @Path("/audit-checkpoint-key")
    @Produces(MediaType.APPLICATION_JSON)
    public SigningKey signingKey() {
        return new SigningKey("Ed25519", checkpoints.keyId(), Base64.getEncoder().encodeToString(checkpoints.publicKey()));
    }
}
