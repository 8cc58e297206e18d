package dev.spalce.audit.api;

import dev.spalce.audit.config.AuditConfig;
import dev.spalce.audit.service.AuditSealService;
import dev.spalce.contracts.deletion.WorkspaceShredding;
import dev.spalce.contracts.deletion.WorkspaceShredding.SealRequest;
import dev.spalce.contracts.deletion.WorkspaceShredding.SealResult;
import dev.spalce.kit.api.ProblemException;
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

/**
 * Sealing a deleted workspace's chain, for the gateway's own identity once it has shredded the keys and deleted the
 * data (docs/deletion.md). Never routed by the gateway: no user reaches it.
 */
@Path(WorkspaceShredding.SEAL_PATH)
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuditSealResource {

    private final AuditSealService seals;
    private final AuditConfig config;
    private final Caller caller;

    public AuditSealResource(AuditSealService seals, AuditConfig config, Caller caller) {
        this.seals = seals;
        this.config = config;
        this.caller = caller;
    }

    /** Appends the final {@code workspace.deleted} entry (once) and refuses every later event of the workspace. */
    @POST
    public Uni<SealResult> seal(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @Valid @NotNull SealRequest request) {
        caller.requireService(config.sealCallers());
        String[] actor = request.actor().split(":", 2);
        if (actor.length != 2 || actor[0].isBlank() || actor[1].isBlank()) {
            throw ProblemException.invalid("actor must be <type>:<subject>");
        }
        return seals.seal(workspace, actor[0], actor[1], request.details());
    }
}
