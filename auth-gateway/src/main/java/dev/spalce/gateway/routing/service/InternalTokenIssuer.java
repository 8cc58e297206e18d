package dev.spalce.gateway.routing.service;

import dev.spalce.contracts.access.Role;
import dev.spalce.contracts.access.Service;
import dev.spalce.gateway.config.GatewayConfig;
import dev.spalce.kit.security.Caller;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Signs the token the gateway sends an internal service for one user request: RS256 (RSA-2048), audience the
 * target service's alone ({@link Service#audience()}, e.g. {@code spalce-crypto}: any other service refuses it),
 * valid for at most 60 seconds, naming the user ({@code sub}), the workspace (canonical) and the role the gateway
 * has just checked. The internal services verify it with the configured public key in
 * production, or against {@link #jwks()} locally. RSA rather than ECDSA because Quarkus OIDC verifies a
 * configured public key only when it is RSA.
 */
@ApplicationScoped
public class InternalTokenIssuer {

    private static final Logger LOG = Logger.getLogger(InternalTokenIssuer.class);
    private static final Duration LONGEST_LIFETIME = Duration.ofSeconds(60);

    private final String issuer;
    private final Duration lifetime;
    private final PrivateKey privateKey;
    private final RSAPublicKey publicKey;
    private final String keyId;
    private final Map<Grant, Minted> recent = new ConcurrentHashMap<>();

    /** Grants remembered at most; past that the memo starts over (a bound, not an eviction policy). */
    private static final int CACHE_LIMIT = 10_000;

    public InternalTokenIssuer(
            GatewayConfig config,
            @ConfigProperty(name = "spalce.internal-token.issuer") String issuer,
            @ConfigProperty(name = "spalce.internal-token.public-key") Optional<String> configuredPublicKey) {
        GatewayConfig.InternalToken settings = config.internalToken();
        if (settings.lifetime().isNegative() || settings.lifetime().compareTo(LONGEST_LIFETIME) > 0) {
            throw new IllegalStateException("spalce.gateway.internal-token.lifetime must be at most 60s");
        }
        this.issuer = issuer;
        this.lifetime = settings.lifetime();
        try {
            if (settings.privateKey().isPresent() && configuredPublicKey.isPresent()) {
                KeyFactory rsa = KeyFactory.getInstance("RSA");
                this.privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(
                        Base64.getDecoder().decode(settings.privateKey().get().strip())));
                this.publicKey = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(
                        Base64.getDecoder().decode(configuredPublicKey.get().strip())));
            } else if (settings.allowEphemeralKey()) {
                LOG.warn("no internal-token signing key configured: signing with a key generated at start-up");
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                var pair = generator.generateKeyPair();
                this.privateKey = pair.getPrivate();
                this.publicKey = (RSAPublicKey) pair.getPublic();
            } else {
                throw new IllegalStateException("spalce.gateway.internal-token.private-key and "
                        + "spalce.internal-token.public-key are required "
                        + "(SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY, SPALCE_INTERNAL_TOKEN_PUBLIC_KEY)");
            }
            this.keyId = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()), 0, 8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the internal-token signing key pair is not a valid RSA pair");
        }
    }

    /**
     * A token for a routed request of this user, in this workspace, with this role, to this service. A token is reused while it
     * has more than half its lifetime left, so that an RSA signature is not paid on every request; what it
     * grants is exactly what the caller has just been authorized for, whichever request carries it.
     */
    public String tokenFor(String subject, String workspaceId, Role role, Service target) {
        Grant grant = new Grant(subject, workspaceId, role, target);
        long now = System.nanoTime();
        Minted cached = recent.get(grant);
        if (cached != null && cached.reuseUntilNanos() - now > 0) {
            return cached.token();
        }
        if (recent.size() > CACHE_LIMIT) {
            recent.clear();
        }
        String token = Jwt.issuer(issuer)
                .audience(target.audience())
                .subject(subject)
                .claim(Caller.WORKSPACE_CLAIM, workspaceId)
                .claim(Caller.ROLE_CLAIM, role.name())
                .claim("jti", UUID.randomUUID().toString())
                .expiresIn(lifetime)
                .jws()
                .keyId(keyId)
                .algorithm(SignatureAlgorithm.RS256)
                .sign(privateKey);
        recent.put(grant, new Minted(token, now + lifetime.toNanos() / 2));
        return token;
    }

    private record Grant(String subject, String workspaceId, Role role, Service target) {}

    private record Minted(String token, long reuseUntilNanos) {}

    /** The public key as a JWK set, for the internal services. */
    public Map<String, Object> jwks() {
        return Map.of(
                "keys",
                List.of(Map.of(
                        "kty",
                        "RSA",
                        "use",
                        "sig",
                        "alg",
                        "RS256",
                        "kid",
                        keyId,
                        "n",
                        unsigned(publicKey.getModulus()),
                        "e",
                        unsigned(publicKey.getPublicExponent()))));
    }

    /** An unsigned big-endian integer, base64url, as JWK members are (RFC 7518 §6.3.1). */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(bytes, skip, bytes.length));
    }

    Duration lifetime() {
        return lifetime;
    }

    @Override
    public String toString() {
        return "InternalTokenIssuer[RS256, key " + keyId + "]";
    }
}
