package dev.spalce.gateway.identity.service;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.gateway.identity.repository.SignInRepository;
import dev.spalce.kit.audit.AuditTrail;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Audits a sign-in ({@code user.login}) on the first request of every new access token, once, whatever the
 * number of gateway instances: the token's digest is inserted with the audit event in one transaction, and
 * only the instance whose insert succeeded records the event.
 */
@ApplicationScoped
public class SignInService {

    /** Sign-ins are kept a day past their token's expiry, then forgotten. */
    private static final Duration RETENTION_AFTER_EXPIRY = Duration.ofDays(1);

    private static final int MEMO_SIZE = 10_000;

    private final Map<String, Boolean> recentlySeen =
            Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MEMO_SIZE;
                }
            });

    private final SignInRepository signIns;
    private final AuditTrail audit;

    public SignInService(SignInRepository signIns, AuditTrail audit) {
        this.signIns = signIns;
        this.audit = audit;
    }

    /**
     * Records the token's first use. Returns whether this call recorded it. The token itself is never stored:
     * only its SHA-256 digest, in the database and in a small memo of recently seen tokens that spares the
     * database a query on every later request of the same token (the database, not the memo, decides).
     */
    public Uni<Boolean> recordIfNew(String rawToken, String subject, String issuer, Instant expiresAt) {
        String digest = digest(rawToken);
        if (recentlySeen.containsKey(digest)) {
            return Uni.createFrom().item(false);
        }
        return Panache.withTransaction(() -> signIns.insertIfAbsent(digest, subject, issuer, expiresAt)
                        .call(isNew -> isNew
                                ? auditSignIn(digest, subject, issuer)
                                : Uni.createFrom().voidItem()))
                .invoke(() -> recentlySeen.put(digest, Boolean.TRUE));
    }

    private Uni<Void> auditSignIn(String digest, String subject, String issuer) {
        return audit.record(
                CloudEvent.PLATFORM_WORKSPACE,
                AuditAction.USER_LOGIN,
                Actor.user(subject),
                new Target("session", digest.substring(0, 16)),
                Outcome.SUCCESS,
                Map.of("issuer", issuer));
    }

    @Scheduled(every = "1h", delayed = "1m")
    @WithTransaction
    Uni<Void> forgetExpired() {
        return signIns.deleteExpiredBefore(Instant.now().minus(RETENTION_AFTER_EXPIRY))
                .replaceWithVoid();
    }

    static String digest(String rawToken) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(rawToken.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
