package dev.spalce.kit.security;

import dev.spalce.contracts.access.Permission;
import dev.spalce.contracts.access.PermissionMatrix;
import dev.spalce.contracts.access.Role;
import dev.spalce.contracts.access.WorkspaceResource;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.api.WorkspaceIds;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Who is calling an internal service, from the verified bearer token (its audience is this service's alone: a
 * token minted for another service never gets here). Two kinds of caller exist:
 * <ul>
 *   <li>a <b>user through the gateway</b>: a token the gateway minted for this one request (valid 60 seconds)
 *       that names the user, one workspace and their role there, already authorized by the gateway;</li>
 *   <li>a <b>service</b>: a client-credentials token from the identity provider naming a service identity.</li>
 * </ul>
 * Internal services scope every query to {@link #requireWorkspace}: a user's token for one workspace never
 * reads another's data, whatever the path says, and its role must grant the operation in the one permission
 * matrix the gateway decides with ({@link PermissionMatrix}, {@link WorkspaceResource}): the gateway is the first
 * wall, this the second.
 */
@RequestScoped
public class Caller {

    private static final Logger LOG = Logger.getLogger(Caller.class);

    /** Claims of the gateway's internal token. */
    public static final String WORKSPACE_CLAIM = "workspace";

    public static final String ROLE_CLAIM = "role";

    private final JsonWebToken token;
    private final String gatewayIssuer;
    private final HttpServerRequest request;

    public Caller(
            JsonWebToken token,
            @ConfigProperty(name = "spalce.internal-token.issuer") String gatewayIssuer,
            HttpServerRequest request) {
        this.token = token;
        this.gatewayIssuer = gatewayIssuer;
        this.request = request;
    }

    /** The user or service identity, as the token's subject names it. */
    public String subject() {
        return token.getSubject();
    }

    /** Whether this is a user's request routed by the gateway (as opposed to a service's own call). */
    public boolean isUserThroughGateway() {
        return gatewayIssuer.equals(token.getIssuer()) && token.getClaim(WORKSPACE_CLAIM) != null;
    }

    /** The user's role in the token's workspace, e.g. {@code OWNER}; null for a service. */
    public String role() {
        return isUserThroughGateway() ? token.getClaim(ROLE_CLAIM) : null;
    }

    /**
     * The request is about {@code workspaceId}. A user's token must name that very workspace, in its one spelling
     * (404 otherwise, as for any workspace one cannot see), and its role must grant what the request's method on
     * its resource needs ({@link WorkspaceResource}; 403 otherwise, and for a resource users never reach). A
     * service, which acts for every tenant, passes.
     */
    public void requireWorkspace(String workspaceId) {
        if (isUserThroughGateway()) {
            requirePermission(workspaceId, permissionOfThisRequest().orElse(null));
        }
    }

    /**
     * A user through the gateway, for exactly this workspace, whose role grants {@code permission} (null: no
     * user may). For operations whose permission is not read from the path (see {@link #requireWorkspace}).
     */
    public void requirePermission(String workspaceId, Permission permission) {
        if (!isUserThroughGateway()) {
            throw forbidden("this operation is for users through the gateway");
        }
        requireTokenWorkspace(workspaceId);
        if (!grants(permission)) {
            LOG.warnf(
                    "refused %s %s to user '%s' (role %s): it needs %s",
                    request.method(),
                    request.path(),
                    subject(),
                    role(),
                    permission == null ? "a permission no user has" : permission.slug());
            throw forbidden(
                    permission == null
                            ? "users may not call this operation"
                            : "your role does not grant " + permission.slug() + " in this workspace");
        }
    }

    /**
     * A user's token names exactly this workspace, in its one spelling: 404 otherwise, as for any workspace one
     * cannot see.
     */
    public void requireTokenWorkspace(String workspaceId) {
        if (!WorkspaceIds.isCanonical(workspaceId) || !workspaceId.equals(token.getClaim(WORKSPACE_CLAIM))) {
            throw WorkspaceIds.notFound();
        }
    }

    /** Whether the role the gateway's token names grants {@code permission} (null: a permission no user has). */
    public boolean grants(Permission permission) {
        Role role = roleOf(role());
        return role != null && permission != null && PermissionMatrix.allows(role, permission);
    }

    /**
     * Only a user may call this, through the gateway, for exactly {@code workspaceId}, with a role that grants what
     * the request's method on its resource needs ({@link #requireWorkspace}); every service is refused (403).
     */
    public void requirePermittedUser(String workspaceId) {
        requireWorkspaceOrService(workspaceId, Set.of());
    }

    /**
     * A workspace-scoped read or change: a user through the gateway for exactly this workspace, with a role that
     * grants it, or one of these service identities acting for the platform.
     */
    public void requireWorkspaceOrService(String workspaceId, Set<String> allowedServices) {
        if (isUserThroughGateway()) {
            requireWorkspace(workspaceId);
        } else {
            requireService(allowedServices);
        }
    }

    /** Only these service identities (token subjects of client-credentials tokens) may call; 403 otherwise. */
    public void requireService(Set<String> allowed) {
        if (isUserThroughGateway() || !allowed.contains(subject())) {
            throw forbidden("this identity may not call this operation");
        }
    }

    /**
     * What this request needs, read as the gateway reads it: the resource is the path segment after the
     * workspace ({@code /internal/v1/workspaces/{ws}/<segment>/...}), the permission that of the method there.
     */
    private Optional<Permission> permissionOfThisRequest() {
        List<String> segments = Arrays.asList(request.path().split("/"));
        int workspaces = segments.indexOf("workspaces");
        if (workspaces < 0 || segments.size() <= workspaces + 2) {
            return Optional.empty();
        }
        String rest = segments.size() > workspaces + 3
                ? "/" + String.join("/", segments.subList(workspaces + 3, segments.size()))
                : null;
        return WorkspaceResource.ofSegment(segments.get(workspaces + 2))
                .flatMap(resource -> resource.permissionFor(request.method().name(), rest));
    }

    private static Role roleOf(String claim) {
        try {
            return claim == null ? null : Role.valueOf(claim);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }
}
