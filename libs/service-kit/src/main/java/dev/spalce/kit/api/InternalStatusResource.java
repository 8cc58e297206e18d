package dev.spalce.kit.api;

import dev.spalce.contracts.status.ServiceStatus;
import io.quarkus.security.Authenticated;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether this service is ready to serve, for the gateway's system view. Internal: it needs a service token,
 * and says no more than the readiness probe.
 */
@Path(ServiceStatus.PATH)
@Authenticated
public class InternalStatusResource {

    private final SmallRyeHealthReporter health;
    private final String serviceName;

    public InternalStatusResource(
            SmallRyeHealthReporter health, @ConfigProperty(name = "spalce.service.name") String serviceName) {
        this.health = health;
        this.serviceName = serviceName;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ServiceStatus> status() {
        return health.getReadinessAsync()
                .map(SmallRyeHealth::getStatus)
                .map(status -> new ServiceStatus(serviceName, status.name()));
    }
}
