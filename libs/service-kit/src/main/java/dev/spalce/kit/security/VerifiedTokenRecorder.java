package dev.spalce.kit.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers in {@link VerifiedTokens} each identity Quarkus OIDC has just verified from a bearer access token, as
 * the last step of authentication (lowest priority: after any other augmentation). Changes no identity.
 */
@ApplicationScoped
public class VerifiedTokenRecorder implements SecurityIdentityAugmentor {

    private final VerifiedTokens tokens;

    public VerifiedTokenRecorder(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (tokens.enabled()
                && !identity.isAnonymous()
                && identity.getAttribute(ReusedTokenIdentityProvider.REUSED_ATTRIBUTE) == null
                && identity.getCredential(IdTokenCredential.class) == null
                && identity.getPrincipal() instanceof JsonWebToken principal
                && identity.getAttribute(RoutingContext.class.getName()) instanceof RoutingContext request) {
            AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
            // A bearer identity is made from the access token itself; a sign-in's is made from its ID token, and
            // must never answer for its access token sent as a bearer token.
            if (token != null
                    && token.getClass() == AccessTokenCredential.class
                    && token.getToken().equals(principal.getRawToken())) {
                tokens.remember(request, token, identity);
            }
        }
        return Uni.createFrom().item(identity);
    }
}
