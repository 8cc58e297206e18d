package dev.spalce.cryptoservice.access.api;

import dev.spalce.cryptoservice.access.config.AccessConfig;
import dev.spalce.cryptoservice.access.model.Operation;
import dev.spalce.cryptoservice.common.api.CryptoProblems;
import dev.spalce.kit.security.Caller;
import dev.spalce.kit.transport.InternalTransport;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authorizes every call to a {@link CallerAllowed} method. Authentication (signature, issuer, audience
 * {@code spalce-crypto}, expiry) has already happened; an anonymous request is left to {@code @Authenticated},
 * which answers 401.
 * <ul>
 *   <li>A service identity (client-credentials token) must be on the operation's allow-list: 403 otherwise.</li>
 *   <li>A user through the gateway (the gateway's internal token) may use only the operations that name gateway
 *       roles, only with a role the permission matrix grants the operation's permission (403 otherwise), and only for the workspace the token names: any other
 *       workspace answers 404, as one that does not exist.</li>
 *   <li>Either way, the caller's TLS client certificate must name the same service the token does: the gateway's
 *       ({@code spiffe://spalce/auth-gateway}) for its internal token, {@code spiffe://spalce/<service>} for the
 *       client-credentials token of {@code spalce-<service>}. A token replayed from another service's connection
 *       is refused with 403.</li>
 * </ul>
 */
public class CallerAccessFilter {

    private static final Logger LOG = Logger.getLogger(CallerAccessFilter.class);
    private static final String GATEWAY_SERVICE = "auth-gateway";
    private static final String SERVICE_IDENTITY_PREFIX = "spalce-";

    private final SecurityIdentity identity;
    private final Caller caller;
    private final AccessConfig access;

    public CallerAccessFilter(SecurityIdentity identity, Caller caller, AccessConfig access) {
        this.identity = identity;
        this.caller = caller;
        this.access = access;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public void authorize(ResourceInfo resource, ContainerRequestContext request, HttpServerRequest connection) {
        Method method = resource.getResourceMethod();
        CallerAllowed rule = method == null ? null : method.getAnnotation(CallerAllowed.class);
        if (rule == null || identity.isAnonymous()) {
            return;
        }
        Operation operation = rule.value();
        String subject = caller.subject();
        if (caller.isUserThroughGateway()) {
            String workspace = request.getUriInfo().getPathParameters().getFirst("workspace");
            if (workspace != null) {
                caller.requireTokenWorkspace(workspace);
            }
            if (!caller.grants(operation.userPermission())) {
                LOG.warnf("refused %s to user '%s' (role %s) through the gateway", operation, subject, caller.role());
                throw CryptoProblems.callerNotAllowed("user " + subject, operation.description());
            }
        } else if (subject == null || !access.allowed(operation).contains(subject)) {
            LOG.warnf("refused %s to service identity '%s'", operation, subject);
            throw CryptoProblems.callerNotAllowed("service identity " + subject, operation.description());
        }
        // A token the operation allows is still only as good as the connection it came on: the client certificate
        // must name the service the token does (the gateway's, for a user's token).
        String peer = InternalTransport.peerService(connection.sslSession()).orElse(null);
        String tokenService = caller.isUserThroughGateway()
                ? GATEWAY_SERVICE
                : subject != null && subject.startsWith(SERVICE_IDENTITY_PREFIX)
                        ? subject.substring(SERVICE_IDENTITY_PREFIX.length())
                        : null;
        if (tokenService == null || !tokenService.equals(peer)) {
            LOG.warnf("refused %s: the token names '%s', the client certificate '%s'", operation, subject, peer);
            throw CryptoProblems.callerNotAllowed("certificate identity " + peer, operation.description());
        }
    }
}
