package dev.spalce.gateway.routing;

import static dev.spalce.gateway.access.Permission.DELETE_EVIDENCE;
import static dev.spalce.gateway.access.Permission.MANAGE_INTEGRATIONS;
import static dev.spalce.gateway.access.Permission.MANAGE_KEYS;
import static dev.spalce.gateway.access.Permission.MANAGE_PERSONNEL;
import static dev.spalce.gateway.access.Permission.READ_AUDIT_LOG;
import static dev.spalce.gateway.access.Permission.READ_EVIDENCE;
import static dev.spalce.gateway.access.Permission.READ_KEYS;
import static dev.spalce.gateway.access.Permission.READ_PERSONNEL;
import static dev.spalce.gateway.access.Permission.READ_REWRAP_JOBS;
import static dev.spalce.gateway.access.Permission.TRIGGER_REWRAP;
import static dev.spalce.gateway.access.Permission.UPLOAD_EVIDENCE;

import dev.spalce.gateway.access.Permission;
import io.vertx.core.http.HttpMethod;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The public API's workspace resources that the gateway routes to an internal service:
 * {@code /api/v1/workspaces/{workspace}/<segment>/...} goes to
 * {@code <service>/internal/v1/workspaces/{workspace}/<segment>/...}, once the caller's role grants the
 * permission for the method (reading: GET and HEAD; writing: POST, PUT and PATCH; DELETE). A null permission
 * means the method is not offered.
 */
public enum WorkspaceRoute {

    EVIDENCE("evidence", Downstream.EVIDENCE, READ_EVIDENCE, UPLOAD_EVIDENCE, DELETE_EVIDENCE),
    CHECK_RESULTS("check-results", Downstream.EVIDENCE, READ_EVIDENCE, UPLOAD_EVIDENCE, DELETE_EVIDENCE),
    INTEGRATIONS("integrations", Downstream.EVIDENCE, READ_EVIDENCE, MANAGE_INTEGRATIONS, MANAGE_INTEGRATIONS),
    PERSONNEL("personnel", Downstream.EVIDENCE, READ_PERSONNEL, MANAGE_PERSONNEL, MANAGE_PERSONNEL),
    KEYS("keys", Downstream.CRYPTO, READ_KEYS, MANAGE_KEYS, MANAGE_KEYS),
    REWRAP_JOBS("rewrap-jobs", Downstream.REWRAP, READ_REWRAP_JOBS, TRIGGER_REWRAP, TRIGGER_REWRAP),
    AUDIT_EVENTS("audit-events", Downstream.AUDIT, READ_AUDIT_LOG, null, null);

    /** The internal services the gateway routes to. */
    public enum Downstream {
        EVIDENCE, CRYPTO, REWRAP, AUDIT
    }

    /** Matches a routed path; group 1 is the workspace, group 2 the segment, group 3 the rest (may be absent). */
    static final String PATH_REGEX = "^/api/v1/workspaces/([^/]+)/(" + Arrays.stream(values())
            .map(route -> route.segment).collect(Collectors.joining("|")) + ")(/.*)?$";

    private final String segment;
    private final Downstream downstream;
    private final Permission read;
    private final Permission write;
    private final Permission delete;

    WorkspaceRoute(String segment, Downstream downstream, Permission read, Permission write, Permission delete) {
        this.segment = segment;
        this.downstream = downstream;
        this.read = read;
        this.write = write;
        this.delete = delete;
    }

    public static WorkspaceRoute ofSegment(String segment) {
        return Arrays.stream(values()).filter(route -> route.segment.equals(segment)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no route for " + segment));
    }

    public String segment() {
        return segment;
    }

    public Downstream downstream() {
        return downstream;
    }

    /**
     * The permission a request needs, given the method and the path below the segment ({@code rest}, may be null).
     * A POST to a query resource ({@code personnel/lookup}) reads: its query travels in the body so that personal
     * data stays out of URLs, which proxies and access logs record.
     */
    public Optional<Permission> permissionFor(HttpMethod method, String rest) {
        if (HttpMethod.POST.equals(method) && this == PERSONNEL && "/lookup".equals(rest)) {
            return Optional.of(read);
        }
        return permissionFor(method);
    }

    /** The permission the method needs here, or empty if the method is not offered. */
    public Optional<Permission> permissionFor(HttpMethod method) {
        if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
            return Optional.ofNullable(read);
        }
        if (HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method) || HttpMethod.PATCH.equals(method)) {
            return Optional.ofNullable(write);
        }
        if (HttpMethod.DELETE.equals(method)) {
            return Optional.ofNullable(delete);
        }
        return Optional.empty();
    }
}
