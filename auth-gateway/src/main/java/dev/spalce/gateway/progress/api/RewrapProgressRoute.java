package dev.spalce.gateway.progress.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.access.Permission;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.gateway.config.GatewayConfig;
import dev.spalce.gateway.progress.service.RewrapProgressHub;
import dev.spalce.gateway.routing.api.RouteSupport;
import dev.spalce.gateway.workspace.service.WorkspaceAccess;
import dev.spalce.kit.api.RequestIdFilter;
import dev.spalce.kit.api.TrustedProxies;
import dev.spalce.kit.audit.AuditTrail;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/v1/workspaces/{workspace}/rewrap-progress}: server-sent events with the live progress of the
 * workspace's rewrap jobs, for the dashboard. The caller is authorized (read-rewrap-jobs) before the stream
 * starts, so a refusal is an ordinary 401, 403 or 404 problem rather than a stream that breaks. An open stream is
 * authorized again every {@code spalce.gateway.progress-reauthorize-every} (at most 60 s) and as soon as the
 * viewer's membership changes through this instance; it ends, with a last {@code closed} event naming why, once
 * the viewer is no longer allowed (removed, role changed, an auditor's access ended) or their token has expired.
 * Opening a stream is audited ({@code rewrap.progress-subscribed}, with the client's address) before its first
 * byte.
 */
@ApplicationScoped
public class RewrapProgressRoute {

    private static final Logger LOG = Logger.getLogger(RewrapProgressRoute.class);
    private static final Duration LONGEST_REAUTHORIZATION = Duration.ofSeconds(60);

    private final RewrapProgressHub hub;
    private final WorkspaceAccess access;
    private final RouteSupport support;
    private final AuditTrail audit;
    private final TrustedProxies proxies;
    private final ObjectMapper json;
    private final long reauthorizeMillis;

    public RewrapProgressRoute(
            RewrapProgressHub hub,
            WorkspaceAccess access,
            RouteSupport support,
            AuditTrail audit,
            TrustedProxies proxies,
            ObjectMapper json,
            GatewayConfig config) {
        this.hub = hub;
        this.access = access;
        this.support = support;
        this.audit = audit;
        this.proxies = proxies;
        this.json = json;
        Duration every = config.progressReauthorizeEvery();
        if (every.isNegative() || every.isZero() || every.compareTo(LONGEST_REAUTHORIZATION) > 0) {
            throw new IllegalStateException(
                    "spalce.gateway.progress-reauthorize-every must be above 0 and at most 60s");
        }
        this.reauthorizeMillis = every.toMillis();
    }

    void register(@Observes Router router) {
        router.get("/api/v1/workspaces/:workspace/rewrap-progress").handler(this::stream);
    }

    private void stream(RoutingContext context) {
        String requestId = support.requestId(context);
        String workspace = context.pathParam("workspace");
        String clientAddress = proxies.clientAddress(context.request());
        support.authenticate(context)
                .call(token -> access.require(token.getSubject(), workspace, Permission.READ_REWRAP_JOBS))
                // A stream that cannot be audited is not opened.
                .call(token -> Panache.withTransaction(() -> audit.record(
                        workspace,
                        AuditAction.REWRAP_PROGRESS_SUBSCRIBED,
                        Actor.user(token.getSubject()),
                        new Target("rewrap-progress", workspace),
                        Outcome.SUCCESS,
                        Map.of(),
                        requestId,
                        clientAddress)))
                .subscribe()
                .with(
                        token -> open(context, workspace, token, requestId),
                        failure -> support.fail(context, requestId, failure));
    }

    private void open(RoutingContext context, String workspace, JsonWebToken token, String requestId) {
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
        Viewer viewer = new Viewer(
                response,
                workspace,
                token.getSubject(),
                Instant.ofEpochSecond(token.getExpirationTime()),
                Vertx.currentContext());
        long timer = context.vertx().setPeriodic(reauthorizeMillis, ignored -> viewer.reauthorize());
        // A change announced by another request is checked on this stream's own context, where its database
        // session lives.
        Cancellable changes = access.changesOf(viewer.subject, UUID.fromString(workspace))
                .subscribe()
                .with(ignored -> viewer.context.runOnContext(nothing -> viewer.reauthorize()));
        response.closeHandler(closed -> {
            subscription.cancel();
            changes.cancel();
            context.vertx().cancelTimer(timer);
        });
    }

    /** One open stream's viewer, checked again until the stream ends. */
    private final class Viewer {

        private final HttpServerResponse response;
        private final String workspace;
        private final String subject;
        private final Instant tokenExpiry;
        private final Context context;
        private final AtomicBoolean checking = new AtomicBoolean();

        Viewer(HttpServerResponse response, String workspace, String subject, Instant tokenExpiry, Context context) {
            this.response = response;
            this.workspace = workspace;
            this.subject = subject;
            this.tokenExpiry = tokenExpiry;
            this.context = context;
        }

        void reauthorize() {
            if (response.ended() || response.closed()) {
                return;
            }
            if (!Instant.now().isBefore(tokenExpiry)) {
                close("token-expired");
                return;
            }
            if (!checking.compareAndSet(false, true)) {
                return;
            }
            access.require(subject, workspace, Permission.READ_REWRAP_JOBS)
                    .eventually(() -> checking.set(false))
                    .subscribe()
                    .with(stillAllowed -> {}, refused -> close("access-revoked"));
        }

        private void close(String reason) {
            if (!response.ended() && !response.closed()) {
                LOG.infof("rewrap progress stream of workspace %s closed for %s: %s", workspace, subject, reason);
                response.end("event: closed\ndata: {\"reason\":\"" + reason + "\"}\n\n");
            }
        }
    }
}
