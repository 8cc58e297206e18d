package dev.spalce.contracts.access;

import static dev.spalce.contracts.access.Permission.DELETE_EVIDENCE;
import static dev.spalce.contracts.access.Permission.EXPORT_WORKSPACE;
import static dev.spalce.contracts.access.Permission.MANAGE_INTEGRATIONS;
import static dev.spalce.contracts.access.Permission.MANAGE_KEYS;
import static dev.spalce.contracts.access.Permission.MANAGE_PERSONNEL;
import static dev.spalce.contracts.access.Permission.READ_AUDIT_LOG;
import static dev.spalce.contracts.access.Permission.READ_EVIDENCE;
import static dev.spalce.contracts.access.Permission.READ_KEYS;
import static dev.spalce.contracts.access.Permission.READ_PERSONNEL;
import static dev.spalce.contracts.access.Permission.READ_REWRAP_JOBS;
import static dev.spalce.contracts.access.Permission.TRIGGER_REWRAP;
import static dev.spalce.contracts.access.Permission.UPLOAD_EVIDENCE;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The workspace resources users reach through the gateway ({@code /api/v1/workspaces/{ws}/<segment>/...}, served
 * by an internal service at {@code /internal/v1/workspaces/{ws}/<segment>/...}) and the permission each HTTP
 * method needs there: reading is GET and HEAD, writing POST, PUT and PATCH, and DELETE is its own. The gateway
 * decides with this table before it routes, and every internal service decides again with the same table on the
 * role the gateway's token names, so a token replayed at another operation buys nothing the role does not grant.
 * A null permission means the method is not offered; a segment not listed here is not for users at all.
 */
public enum WorkspaceResource {
    EVIDENCE("evidence", Service.EVIDENCE, READ_EVIDENCE, UPLOAD_EVIDENCE, DELETE_EVIDENCE),
    CHECK_RESULTS("check-results", Service.EVIDENCE, READ_EVIDENCE, UPLOAD_EVIDENCE, DELETE_EVIDENCE),
    INTEGRATIONS("integrations", Service.EVIDENCE, READ_EVIDENCE, MANAGE_INTEGRATIONS, MANAGE_INTEGRATIONS),
    PERSONNEL("personnel", Service.EVIDENCE, READ_PERSONNEL, MANAGE_PERSONNEL, MANAGE_PERSONNEL),
    KEYS("keys", Service.CRYPTO, READ_KEYS, MANAGE_KEYS, MANAGE_KEYS),
    REWRAP_JOBS("rewrap-jobs", Service.REWRAP, READ_REWRAP_JOBS, TRIGGER_REWRAP, TRIGGER_REWRAP),
    AUDIT_EVENTS("audit-events", Service.AUDIT, READ_AUDIT_LOG, null, null),
    EXPORTS("exports", Service.EVIDENCE, EXPORT_WORKSPACE, EXPORT_WORKSPACE, null);

    private final String segment;
    private final Service service;
    private final Permission read;
    private final Permission write;
    private final Permission delete;

    WorkspaceResource(String segment, Service service, Permission read, Permission write, Permission delete) {
        this.segment = segment;
        this.service = service;
        this.read = read;
        this.write = write;
        this.delete = delete;
    }

    /** The resource whose path segment this is, if users may reach it. */
    public static Optional<WorkspaceResource> ofSegment(String segment) {
        return Arrays.stream(values())
                .filter(resource -> resource.segment.equals(segment))
                .findFirst();
    }

    public String segment() {
        return segment;
    }

    /** The internal service that serves it. */
    public Service service() {
        return service;
    }

    /**
     * The permission a request needs, given its method and the path below the segment ({@code rest}, null or empty
     * when there is none). A POST to a query resource ({@code personnel/lookup}) reads: its query travels in the
     * body so that personal data stays out of URLs, which proxies and access logs record.
     */
    public Optional<Permission> permissionFor(String method, String rest) {
        if (this == PERSONNEL && "POST".equalsIgnoreCase(method) && "/lookup".equals(rest)) {
            return Optional.of(read);
        }
        // The public key that signs export manifests is for whoever checks an archive: Auditors too.
        if (this == EXPORTS && "GET".equalsIgnoreCase(method) && "/signing-key".equals(rest)) {
            return Optional.of(READ_AUDIT_LOG);
        }
        return permissionFor(method);
    }

    /** The permission {@code method} (an HTTP method name) needs here, or empty if the method is not offered. */
    public Optional<Permission> permissionFor(String method) {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> Optional.ofNullable(read);
            case "POST", "PUT", "PATCH" -> Optional.ofNullable(write);
            case "DELETE" -> Optional.ofNullable(delete);
            default -> Optional.empty();
        };
    }
}
