package dev.spalce.gateway.auditkeys.api;

import dev.spalce.contracts.audit.SigningKeysView;
import dev.spalce.gateway.downstream.client.AuditSigningKeysClient;
import dev.spalce.kit.api.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The public keys audit checkpoints are signed with, for anyone: an auditor pins them in the offline verifier
 * ({@code --trusted-key}) without an account. Public keys only; Owners and Auditors also find them at
 * {@code /api/v1/workspaces/{ws}/audit-events/signing-keys}. An answer is kept for a minute, so that unauthenticated
 * requests cannot turn into a load on audit-log-service.
 */
@Path("/.well-known/spalce/audit-signing-keys")
@PermitAll
public class AuditSigningKeysResource {

    private static final Duration KEPT_FOR = Duration.ofMinutes(1);

    private final AuditSigningKeysClient auditLog;
    private volatile Cached cached;

    private record Cached(SigningKeysView keys, long atNanos) {}

    public AuditSigningKeysResource(@RestClient AuditSigningKeysClient auditLog) {
        this.auditLog = auditLog;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SigningKeysView> signingKeys() {
        Cached current = cached;
        if (current != null && System.nanoTime() - current.atNanos() < KEPT_FOR.toNanos()) {
            return Uni.createFrom().item(current.keys());
        }
        return auditLog.signingKeys()
                .ifNoItem()
                .after(Duration.ofSeconds(5))
                .fail()
                .invoke(keys -> cached = new Cached(keys, System.nanoTime()))
                .onFailure()
                .transform(failure -> ProblemException.unavailable("audit log service", failure));
    }
}
