package dev.spalce.gateway.identity.api;

import dev.spalce.gateway.identity.service.SignInService;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** After authentication, hands every request's access token to {@link SignInService} to audit new sign-ins. */
public class SignInFilter {

    private final CurrentIdentityAssociation identities;
    private final SignInService signIns;

    public SignInFilter(CurrentIdentityAssociation identities, SignInService signIns) {
        this.identities = identities;
        this.signIns = signIns;
    }

    // Runs on the event loop (where Hibernate Reactive must run) even when the resource method is blocking;
    // Quarkus REST requires such filters to run before all others.
    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHENTICATION)
    public Uni<Void> recordSignIn() {
        // A token that fails verification is not a sign-in; the endpoint's own security check refuses it.
        return identities
                .getDeferredIdentity()
                .onFailure()
                .recoverWithNull()
                .chain(identity -> identity == null
                                || identity.isAnonymous()
                                || !(identity.getPrincipal() instanceof JsonWebToken token)
                        ? Uni.createFrom().voidItem()
                        : signIns.recordIfNew(
                                        token.getRawToken(),
                                        token.getSubject(),
                                        token.getIssuer(),
                                        Instant.ofEpochSecond(token.getExpirationTime()))
                                .replaceWithVoid());
    }
}
