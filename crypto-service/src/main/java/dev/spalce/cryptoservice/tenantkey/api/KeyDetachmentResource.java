package dev.spalce.cryptoservice.tenantkey.api;

import dev.spalce.contracts.keys.WorkspaceKeyApi.DetachRequest;
import dev.spalce.contracts.keys.WorkspaceKeyApi.DetachResult;
import dev.spalce.cryptoservice.access.api.CallerAllowed;
import dev.spalce.cryptoservice.access.model.Operation;
import dev.spalce.cryptoservice.tenantkey.service.ActingParty;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyService;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Detaching the keys a workspace changed from, for rewrap-worker when a job has moved every data key to the current
 * key. Outside {@code /keys} on purpose: the gateway routes no workspace resource here, so no user reaches it (done
 * too early, a detachment would leave data keys unreadable).
 */
@Path("/internal/v1/workspaces/{workspace}/key-detachments")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class KeyDetachmentResource {

    private final TenantKeyService keys;
    private final Caller caller;

    public KeyDetachmentResource(TenantKeyService keys, Caller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    /**
     * Detaches the workspace's previous keys: every stored data key is on {@code rewrappedTo}, a version of the
     * current key.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @CallerAllowed(Operation.DETACH_KEYS)
    public Uni<DetachResult> detach(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @Valid @NotNull DetachRequest request) {
        return keys.detachFormerKeys(workspace, request.rewrappedTo(), ActingParty.service(caller.subject()))
                .map(detached -> new DetachResult(detached.stream()
                        .map(key -> TenantKeyDtos.formerKeyView(key, List.of()))
                        .toList()));
    }
}
