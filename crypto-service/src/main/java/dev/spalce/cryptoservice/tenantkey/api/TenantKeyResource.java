package dev.spalce.cryptoservice.tenantkey.api;

import dev.spalce.contracts.keys.WorkspaceKeyApi;
import dev.spalce.contracts.keys.WorkspaceKeyApi.CmkView;
import dev.spalce.contracts.keys.WorkspaceKeyApi.VersionStateRequest;
import dev.spalce.cryptoservice.access.api.CallerAllowed;
import dev.spalce.cryptoservice.access.model.Operation;
import dev.spalce.cryptoservice.tenantkey.api.TenantKeyDtos.ChangeRequest;
import dev.spalce.cryptoservice.tenantkey.api.TenantKeyDtos.RegisterRequest;
import dev.spalce.cryptoservice.tenantkey.api.TenantKeyDtos.RotationPolicyRequest;
import dev.spalce.cryptoservice.tenantkey.service.ActingParty;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyService;
import dev.spalce.kit.api.ProblemResponses;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Tenant key management. The gateway routes a workspace member's {@code /api/v1/workspaces/{workspace}/keys/...}
 * here with its internal token naming user, workspace and role (Owners manage, Owners and Auditors read); service
 * identities on the allow-lists (the gateway itself, rewrap-worker) call it with their own tokens. Audit events
 * name the user, or the service, as the actor.
 */
@Path(WorkspaceKeyApi.PATH)
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class TenantKeyResource {

    private final TenantKeyService keys;
    private final Caller caller;
    private final String gatewayIssuer;

    public TenantKeyResource(
            TenantKeyService keys,
            Caller caller,
            @ConfigProperty(name = "spalce.internal-token.issuer") String gatewayIssuer) {
        this.keys = keys;
        this.caller = caller;
        this.gatewayIssuer = gatewayIssuer;
    }

    /** Registers the workspace's CMK; without a key reference, local and pkcs11 create one. */
    @APIResponse(responseCode = "409", ref = ProblemResponses.KEY_ALREADY_REGISTERED)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @CallerAllowed(Operation.MANAGE_KEYS)
    public Uni<RestResponse<CmkView>> register(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @Valid @NotNull RegisterRequest request) {
        return keys.register(
                        workspace, request.provider(), request.keyReference(), request.rotationPeriodDays(), acting())
                .map(state -> RestResponse.ResponseBuilder.<CmkView>created(
                                URI.create("/internal/v1/workspaces/" + workspace + "/keys"))
                        .entity(TenantKeyDtos.cmkView(state))
                        .build());
    }

    /** The workspace's CMK, its versions and rotation policy. */
    @GET
    @CallerAllowed(Operation.READ_KEYS)
    public Uni<CmkView> read(@PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace) {
        return keys.read(workspace).map(TenantKeyDtos::cmkView);
    }

    /** Sets how often the CMK rotates automatically. */
    @PUT
    @Path("/rotation-policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @CallerAllowed(Operation.MANAGE_KEYS)
    public Uni<CmkView> setRotationPolicy(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @Valid @NotNull RotationPolicyRequest request) {
        return keys.setRotationPolicy(workspace, request.rotationPeriodDays(), acting())
                .map(TenantKeyDtos::cmkView);
    }

    /** Rotates the CMK now: a new version becomes current for new DEKs; old ones keep unwrapping. */
    @POST
    @Path("/rotations")
    @CallerAllowed(Operation.MANAGE_KEYS)
    public Uni<CmkView> rotate(@PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace) {
        return keys.rotate(workspace, acting()).map(TenantKeyDtos::cmkView);
    }

    /**
     * Changes the workspace's CMK for another key, of the same provider or another: it is current at once, and
     * rewrap-worker starts a job (on the {@code cmk.changed} event) moving every stored data key to it; the old
     * key still unwraps until then, and is detached afterwards.
     */
    @APIResponse(responseCode = "409", ref = ProblemResponses.KEY_ALREADY_REGISTERED)
    @POST
    @Path("/changes")
    @Consumes(MediaType.APPLICATION_JSON)
    @CallerAllowed(Operation.MANAGE_KEYS)
    public Uni<CmkView> change(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @Valid @NotNull ChangeRequest request) {
        return keys.changeKey(workspace, request.provider(), request.keyReference(), acting())
                .map(TenantKeyDtos::cmkView);
    }

    /** Marks an old version retirable, retired (it then unwraps nothing) or enabled again. */
    @PUT
    @Path("/versions/{version}/state")
    @Consumes(MediaType.APPLICATION_JSON)
    @CallerAllowed(Operation.RETIRE_VERSIONS)
    public Uni<CmkView> changeVersionState(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("version") @Min(1) int version,
            @Valid @NotNull VersionStateRequest request) {
        return keys.changeVersionState(workspace, version, request.state(), acting())
                .map(TenantKeyDtos::cmkView);
    }

    private ActingParty acting() {
        return caller.isUserThroughGateway()
                ? ActingParty.userThrough(caller.subject(), gatewayIssuer)
                : ActingParty.service(caller.subject());
    }
}
