package dev.spalce.gateway.downstream.client;

import dev.spalce.contracts.access.Service;
import io.quarkus.oidc.client.reactive.filter.runtime.AbstractOidcClientRequestReactiveFilter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's own service token for each internal service, for REST clients built at run time (one interface,
 * several targets): each filter asks the named OIDC client of its target, so every call carries a token for
 * that service's audience alone (quarkus.oidc-client.&lt;name&gt;.*, service kit).
 */
@ApplicationScoped
public class ServiceTokenFilters {

    private final Map<Service, AbstractOidcClientRequestReactiveFilter> filters;

    public ServiceTokenFilters(Evidence evidence, Crypto crypto, Rewrap rewrap, Audit audit) {
        this.filters = Map.of(
                Service.EVIDENCE, evidence, Service.CRYPTO, crypto, Service.REWRAP, rewrap, Service.AUDIT, audit);
    }

    /** The filter adding a token for {@code target}'s audience. */
    public AbstractOidcClientRequestReactiveFilter forTarget(Service target) {
        return filters.get(target);
    }

    @ApplicationScoped
    @Priority(Priorities.AUTHENTICATION)
    public static class Evidence extends AbstractOidcClientRequestReactiveFilter {
        @Override
        protected Optional<String> clientId() {
            return Optional.of("evidence");
        }
    }

    @ApplicationScoped
    @Priority(Priorities.AUTHENTICATION)
    public static class Crypto extends AbstractOidcClientRequestReactiveFilter {
        @Override
        protected Optional<String> clientId() {
            return Optional.of("crypto");
        }
    }

    @ApplicationScoped
    @Priority(Priorities.AUTHENTICATION)
    public static class Rewrap extends AbstractOidcClientRequestReactiveFilter {
        @Override
        protected Optional<String> clientId() {
            return Optional.of("rewrap");
        }
    }

    @ApplicationScoped
    @Priority(Priorities.AUTHENTICATION)
    public static class Audit extends AbstractOidcClientRequestReactiveFilter {
        @Override
        protected Optional<String> clientId() {
            return Optional.of("audit");
        }
    }
}
