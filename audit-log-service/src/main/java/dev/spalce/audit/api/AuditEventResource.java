package dev.spalce.audit.api;

import dev.spalce.audit.service.AuditQueryService;
import dev.spalce.kit.api.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Internal query API, called by the gateway with its service identity. */
@Path("/internal/v1/audit-events")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AuditEventResource {

    private final AuditQueryService queries;

    public AuditEventResource(AuditQueryService queries) {
        this.queries = queries;
    }

    @GET
    public Uni<List<AuditEventView>> list(@QueryParam("workspace") String workspace,
                                          @QueryParam("actor") String actor,
                                          @QueryParam("action") String action,
                                          @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        if (workspace == null || workspace.isBlank()) {
            throw ProblemException.invalid("query parameter 'workspace' is required");
        }
        return queries.find(workspace, actor, action, limit)
                .map(found -> found.stream().map(AuditEventView::of).toList());
    }
}
