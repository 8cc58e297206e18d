package dev.spalce.evidence.purge.api;

import dev.spalce.contracts.deletion.WorkspaceShredding;
import dev.spalce.contracts.deletion.WorkspaceShredding.DataPurgeResult;
import dev.spalce.evidence.purge.config.DataPurgeConfig;
import dev.spalce.evidence.purge.service.DataPurgeService;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Deleting a workspace's rows and objects, for the gateway's own identity once the deletion's grace period has
 * passed and the keys are shredded (docs/deletion.md). Never routed by the gateway: no user reaches it.
 */
@Path(WorkspaceShredding.DATA_PATH)
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DataPurgeResource {

    private final DataPurgeService purge;
    private final DataPurgeConfig config;
    private final Caller caller;

    public DataPurgeResource(DataPurgeService purge, DataPurgeConfig config, Caller caller) {
        this.purge = purge;
        this.config = config;
        this.caller = caller;
    }

    /** Deletes every row and object of the workspace; what this call deleted (nothing, when repeated). */
    @POST
    public Uni<DataPurgeResult> purge(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace) {
        caller.requireService(config.allowedCallers());
        return purge.purge(workspace).map(purged -> new DataPurgeResult(purged.rows(), purged.objects()));
    }
}
