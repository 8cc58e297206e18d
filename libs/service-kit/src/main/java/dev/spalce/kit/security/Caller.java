package dev.spalce.kit.security;

import dev.spalce.kit.api.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling an internal service, from the verified bearer token. Two kinds of caller exist:
 * <ul>
 *   <li>a <b>user through the gateway</b>: a token the gateway minted for this one request (valid 60 seconds)
 *       that names the user, one workspace and their role there, already authorized by the gateway;</li>
 *   <li>a <b>service</b>: a client-credentials token from the identity provider naming a service identity.</li>
 * </ul>
 * Internal services scope every query to {@link #requireWorkspace}: a user's token for one workspace never
 * reads another's data, whatever the path says.
 */
@RequestScoped
public class Caller {

    /** Claims of the gateway's internal token. */
    public static final String WORKSPACE_CLAIM = "workspace";
    public static final String ROLE_CLAIM = "role";

    private final JsonWebToken token;
    private final String gatewayIssuer;

    public Caller(JsonWebToken token, @ConfigProperty(name = "spalce.internal-token.issuer") String gatewayIssuer) {
        this.token = token;
        this.gatewayIssuer = gatewayIssuer;
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
     * The request is about {@code workspaceId}: a user's token must name that very workspace (404 otherwise,
     * as for any workspace one cannot see); a service, which acts for every tenant, passes.
     */
    public void requireWorkspace(String workspaceId) {
        if (isUserThroughGateway() && !workspaceId.equals(token.getClaim(WORKSPACE_CLAIM))) {
            throw new ProblemException(404, "not-found", "Not found", "no such workspace");
        }
    }

    /**
     * A workspace-scoped read or change: a user through the gateway for exactly this workspace, or one of these
     * service identities acting for the platform.
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
            throw new ProblemException(403, "forbidden", "Forbidden", "this identity may not call this operation");
        }
    }
}
