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

    /**
     * The path a routed request's metrics are tagged with: the resource, with the workspace and whatever follows as
     * placeholders. Tagged with the path itself, the gateway would keep a timer for every workspace and record ever
     * requested (its memory growing with use, and at any caller's will); this way there are at most three per
     * resource.
     *
     * @param rest what follows the resource's segment ({@code /id}, {@code /id/content}), or null
     */
    static String metricsTemplate(WorkspaceResource resource, String rest) {
        String base = "/api/v1/workspaces/{workspace}/" + resource.segment();
        if (rest == null || rest.length() <= 1) {
            return base;
        }
        return rest.indexOf('/', 1) < 0 ? base + "/{id}" : base + "/{id}/{path}";
    }

    static WorkspaceResource ofSegment(String segment) {
        return WorkspaceResource.ofSegment(segment)
                .orElseThrow(() -> new IllegalArgumentException("no route for " + segment));
    }
}
