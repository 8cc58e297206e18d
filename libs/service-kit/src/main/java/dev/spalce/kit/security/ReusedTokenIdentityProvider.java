package dev.spalce.kit.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Answers a bearer token's authentication from {@link VerifiedTokens} when the very same token was verified a
 * moment ago; otherwise answers nothing, and Quarkus OIDC's own provider (tried next: this one's priority is
 * higher) verifies it in full. A reused identity is the remembered one with this request's routing context in
 * place of the first request's, so that nothing of an earlier request leaks into this one.
 */
@ApplicationScoped
public class ReusedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Marks an identity served from the memo, so that it is not remembered again. */
    static final String REUSED_ATTRIBUTE = "spalce.verified-token-reused";

    private final VerifiedTokens tokens;

    public ReusedTokenIdentityProvider(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return IdentityProvider.super.priority() + 1000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext routingContext = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (!tokens.enabled()
                || routingContext == null
                || request.getToken().getClass() != AccessTokenCredential.class) {
            return Uni.createFrom().nullItem();
        }
        return tokens.find(routingContext, (AccessTokenCredential) request.getToken())
                .map(remembered -> {
                    // What Quarkus OIDC's provider records for the request it authenticates, done for this one.
                    routingContext.put(AuthenticationRequestContext.class.getName(), context);
                    return Uni.createFrom().item((SecurityIdentity) QuarkusSecurityIdentity.builder(remembered)
                            .addAttribute(RoutingContext.class.getName(), routingContext)
                            .addAttribute(AuthenticationRequestContext.class.getName(), context)
                            .addAttribute(REUSED_ATTRIBUTE, Boolean.TRUE)
                            .build());
                })
                .orElseGet(() -> Uni.createFrom().nullItem());
    }
}
