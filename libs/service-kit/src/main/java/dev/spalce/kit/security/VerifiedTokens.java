package dev.spalce.kit.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The service's memo of verified bearer tokens ({@link VerifiedTokenMemo}, sized by {@link VerifiedTokensConfig}):
 * {@link ReusedTokenIdentityProvider} looks a token up before Quarkus OIDC verifies it, and
 * {@link VerifiedTokenRecorder} remembers what OIDC verified. Counted as {@code spalce.verified.tokens} with
 * {@code outcome} {@code reused} or {@code verified}.
 *
 * <p>Only a plain bearer access token is remembered: not the ID token of the dashboard's sign-in (the
 * authorization code flow, whose session has its own checks), and only tokens that are not bound to a client
 * certificate or a DPoP proof (none of Spalce's are; a bound token's proof is per connection or per request, so its
 * verification could not be reused).
 */
@ApplicationScoped
public class VerifiedTokens {

    /** The OIDC tenant a request was resolved to, as Quarkus OIDC names it in the routing context. */
    static final String TENANT_ATTRIBUTE = "tenant-id";

    private final VerifiedTokenMemo<SecurityIdentity> memo;
    private final Counter reused;
    private final Counter verified;

    public VerifiedTokens(VerifiedTokensConfig config, MeterRegistry metrics) {
        this.memo = new VerifiedTokenMemo<>(config.maxEntries(), config.longestReuse(), InstantSource.system());
        this.reused = metrics.counter("spalce.verified.tokens", "outcome", "reused");
        this.verified = metrics.counter("spalce.verified.tokens", "outcome", "verified");
    }

    boolean enabled() {
        return memo.enabled();
    }

    /** The identity {@code token} was verified into for this request's tenant, if it may be reused. */
    Optional<SecurityIdentity> find(RoutingContext request, AccessTokenCredential token) {
        Optional<SecurityIdentity> found = memo.find(tenantOf(request), token.getToken());
        if (found.isPresent()) {
            reused.increment();
        }
        return found;
    }

    /** Remembers an identity Quarkus OIDC has just verified from a bearer access token. */
    void remember(RoutingContext request, AccessTokenCredential token, SecurityIdentity identity) {
        verified.increment();
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
            memo.remember(
                    tenantOf(request), token.getToken(), Instant.ofEpochSecond(jwt.getExpirationTime()), identity);
        }
    }

    private static String tenantOf(RoutingContext request) {
        Object tenant = request.get(TENANT_ATTRIBUTE);
        return tenant instanceof String name ? name : "";
    }
}
