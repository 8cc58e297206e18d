package dev.spalce.gateway.identity.repository;

import dev.spalce.gateway.identity.model.SignIn;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class SignInRepository implements PanacheRepositoryBase<SignIn, String> {

    /** Inserts the sign-in unless the token was seen before; returns whether it was new. */
    public Uni<Boolean> insertIfAbsent(String tokenDigest, String subject, String issuer, Instant expiresAt) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "INSERT INTO sign_in (token_digest, subject, issuer, expires_at) VALUES (?1, ?2, ?3, ?4) "
                                        + "ON CONFLICT (token_digest) DO NOTHING")
                        .setParameter(1, tokenDigest)
                        .setParameter(2, subject)
                        .setParameter(3, issuer)
                        .setParameter(4, expiresAt)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    public Uni<Long> deleteExpiredBefore(Instant cutoff) {
        return delete("expiresAt < ?1", cutoff);
    }
}
