package dev.spalce.gateway.identity.api;

import dev.spalce.gateway.identity.service.SignInService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** After authentication, hands every request's access token to {@link SignInService} to audit new sign-ins. */
public class SignInFilter {

    private final SecurityIdentity identity;
    private final SignInService signIns;

    public SignInFilter(SecurityIdentity identity, SignInService signIns) {
        this.identity = identity;
        this.signIns = signIns;
    }

    // Runs on the event loop (where Hibernate Reactive must run) even when the resource method is blocking;
    // Quarkus REST requires such filters to run before all others.
    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHENTICATION)
    public Uni<Void> recordSignIn() {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().voidItem();
        }
        return signIns.recordIfNew(token.getRawToken(), token.getSubject(), token.getIssuer(),
                Instant.ofEpochSecond(token.getExpirationTime())).replaceWithVoid();
    }
}
