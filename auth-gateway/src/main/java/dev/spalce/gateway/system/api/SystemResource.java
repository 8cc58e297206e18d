package dev.spalce.gateway.system.api;

import dev.spalce.gateway.system.service.SystemStatusService;
import dev.spalce.gateway.system.service.SystemStatusService.Status;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Whether each internal service is ready, as the gateway reaches it. No versions, hosts or details. */
@Path("/api/v1/system/status")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SystemResource {

    private final SystemStatusService statuses;

    public SystemResource(SystemStatusService statuses) {
        this.statuses = statuses;
    }

    @GET
    public Uni<Map<String, Status>> status() {
        return statuses.statuses();
    }
}
