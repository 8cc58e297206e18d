package dev.spalce.gateway.identity.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An access token the gateway has seen; see {@code V1__sign_in.sql}. */
@Entity
@Table(name = "sign_in")
public class SignIn {

    @Id
    @Column(name = "token_digest")
    public String tokenDigest;

    @Column(nullable = false)
    public String subject;

    @Column(nullable = false)
    public String issuer;

    @Column(name = "first_seen_at", insertable = false, updatable = false)
    public Instant firstSeenAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
