package dev.spalce.kit.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, on every route with a {@code {workspace}} path parameter, any spelling of a workspace id but the
 * canonical one ({@link WorkspaceIds}), before the request reaches a resource, its validation or the database:
 * 404 {@code not-found}, the answer of a workspace that does not exist. 404 rather than 400 because such a
 * spelling names no workspace Spalce has, and because the gateway answers an unknown or foreign workspace the same
 * way: a caller learns nothing from the difference. audit-log-service also serves the platform's own log
 * ({@code spalce.workspace-ids.platform-log=true}).
 */
public class WorkspaceIdFilter {

    private final boolean platformLog;

    public WorkspaceIdFilter(
            @ConfigProperty(name = "spalce.workspace-ids.platform-log", defaultValue = "false") boolean platformLog) {
        this.platformLog = platformLog;
    }

    @ServerRequestFilter
    public void refuseOtherSpellings(ContainerRequestContext request) {
        String workspace = request.getUriInfo().getPathParameters().getFirst("workspace");
        if (workspace != null
                && !(platformLog
                        ? WorkspaceIds.isCanonicalOrPlatform(workspace)
                        : WorkspaceIds.isCanonical(workspace))) {
            throw WorkspaceIds.notFound();
        }
    }
}
