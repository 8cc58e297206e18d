package dev.spalce.gateway.routing.api;

import dev.spalce.contracts.access.WorkspaceResource;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The public API's workspace resources that the gateway routes to an internal service:
 * {@code /api/v1/workspaces/{workspace}/<segment>/...} goes to
 * {@code <service>/internal/v1/workspaces/{workspace}/<segment>/...}, once the caller's role grants the
 * permission for the method ({@link WorkspaceResource}, the table every internal service checks too).
 */
final class WorkspaceRoute {

    /** Matches a routed path; group 1 is the workspace, group 2 the segment, group 3 the rest (may be absent). */
    static final String PATH_REGEX = "^/api/v1/workspaces/([^/]+)/("
            + Arrays.stream(WorkspaceResource.values())
                    .map(WorkspaceResource::segment)
                    .collect(Collectors.joining("|")) + ")(/.*)?$";

    private WorkspaceRoute() {}

    static WorkspaceResource ofSegment(String segment) {
        return WorkspaceResource.ofSegment(segment)
                .orElseThrow(() -> new IllegalArgumentException("no route for " + segment));
    }
}
