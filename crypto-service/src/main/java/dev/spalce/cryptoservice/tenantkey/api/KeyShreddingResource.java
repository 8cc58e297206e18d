package dev.spalce.cryptoservice.tenantkey.api;

import dev.spalce.contracts.deletion.WorkspaceShredding;
import dev.spalce.contracts.deletion.WorkspaceShredding.KeyShreddingResult;
import dev.spalce.contracts.deletion.WorkspaceShredding.ShreddedKey;
import dev.spalce.contracts.keys.KeyState;
import dev.spalce.cryptoservice.access.api.CallerAllowed;
import dev.spalce.cryptoservice.access.model.Operation;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyAdvice;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyService;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyService.Shredded;
import dev.spalce.kit.api.WorkspaceIds;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Shredding a deleted workspace's keys, for the gateway's own identity once the deletion's grace period has passed
 * (docs/deletion.md). Outside {@code /keys} on purpose: the gateway routes no workspace resource here, so no user
 * reaches it, whatever their role.
 */
@Path(WorkspaceShredding.KEYS_PATH)
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class KeyShreddingResource {

    private final TenantKeyService keys;

    public KeyShreddingResource(TenantKeyService keys) {
        this.keys = keys;
    }

    /**
     * Destroys the keys crypto-service created and detaches the customer's; every key the workspace had, as it is
     * now (none for a workspace that never registered one). Repeating it changes nothing.
     */
    @POST
    @CallerAllowed(Operation.SHRED_KEYS)
    public Uni<KeyShreddingResult> shred(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace) {
        return keys.shred(workspace)
                .map(shredded -> new KeyShreddingResult(
                        shredded.stream().map(KeyShreddingResource::view).toList()));
    }

    public static ShreddedKey view(Shredded shredded) {
        boolean destroyed = shredded.key().state == KeyState.DESTROYED;
        return new ShreddedKey(
                shredded.key().provider,
                shredded.key().keyReference,
                destroyed ? WorkspaceShredding.DESTROYED : WorkspaceShredding.DETACHED,
                (int) shredded.versions(),
                destroyed ? null : TenantKeyAdvice.shreddedAdvice(shredded.key()));
    }
}
