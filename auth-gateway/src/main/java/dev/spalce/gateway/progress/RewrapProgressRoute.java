package dev.spalce.gateway.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.access.Permission;
import dev.spalce.gateway.access.WorkspaceAccess;
import dev.spalce.gateway.routing.RouteSupport;
import dev.spalce.kit.api.RequestIdFilter;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /api/v1/workspaces/{workspace}/rewrap-progress}: server-sent events with the live progress of the
 * workspace's rewrap jobs, for the dashboard. The caller is authorized (read-rewrap-jobs) before the stream
 * starts, so a refusal is an ordinary 401, 403 or 404 problem rather than a stream that breaks.
 */
@ApplicationScoped
public class RewrapProgressRoute {

    private final RewrapProgressHub hub;
    private final WorkspaceAccess access;
    private final RouteSupport support;
    private final ObjectMapper json;

    public RewrapProgressRoute(RewrapProgressHub hub, WorkspaceAccess access, RouteSupport support, ObjectMapper json) {
        this.hub = hub;
        this.access = access;
        this.support = support;
        this.json = json;
    }

    void register(@Observes Router router) {
        router.get("/api/v1/workspaces/:workspace/rewrap-progress").handler(this::stream);
    }

    private void stream(RoutingContext context) {
        String requestId = support.requestId(context);
        String workspace = context.pathParam("workspace");
        support.authenticate(context)
                .chain(token -> access.require(token.getSubject(), workspace, Permission.READ_REWRAP_JOBS))
                .subscribe().with(role -> open(context, workspace, requestId),
                        failure -> support.fail(context, requestId, failure));
    }

    private void open(RoutingContext context, String workspace, String requestId) {
        HttpServerResponse response = context.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store")
                .putHeader(RequestIdFilter.HEADER, requestId);
        response.write(": rewrap progress of workspace " + workspace + "\n\n");
        Cancellable subscription = hub.of(workspace).subscribe().with(progress -> {
            try {
                response.write("event: rewrap.progress\ndata: " + json.writeValueAsString(progress) + "\n\n");
            } catch (JsonProcessingException impossible) {
                throw new IllegalStateException(impossible);
            }
        });
        response.closeHandler(closed -> subscription.cancel());
    }
}
