package dev.spalce.testsupport;

import com.sun.net.httpserver.HttpServer;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/**
 * Plays the gateway's part for a routed user request: signs internal tokens as auth-gateway's
 * {@code InternalTokenIssuer} does (RS256, issuer {@code spalce-auth-gateway}, the target service's audience,
 * subject, workspace and role claims, 60 seconds), and serves their public key as a JWK set at the path the
 * services fetch it from ({@code /internal/v1/token-keys}), on a port of its own.
 */
public final class GatewayTokens {

    public static final String ISSUER = "spalce-auth-gateway";

    /** The claims of the internal token naming the workspace and the role (as service-kit's {@code Caller} reads them). */
    public static final String WORKSPACE_CLAIM = "workspace";

    public static final String ROLE_CLAIM = "role";

    private static final KeyPair KEYS = generate();
    private static final String KEY_ID = "test-" + UUID.randomUUID();
    private static HttpServer server;

    private GatewayTokens() {}

    /** Starts the JWK set endpoint once; returns its base URL. */
    public static synchronized String startKeyEndpoint() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException("could not serve the test gateway's keys", e);
            }
            server.createContext("/internal/v1/token-keys", exchange -> {
                byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public static synchronized void stopKeyEndpoint() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /**
     * A token for {@code user}'s request to {@code workspace}, where they have {@code role} (e.g. OWNER), for the
     * service under test: the audience is {@code spalce.service.audience} of the application the test runs.
     */
    public static String user(String user, String workspace, String role) {
        return user(user, workspace, role, ServiceAudiences.underTest());
    }

    /** The same for the service with this audience, e.g. {@code Service.CRYPTO.audience()}. */
    public static String user(String user, String workspace, String role, String audience) {
        return user(user, workspace, role, audience, Duration.ofSeconds(60));
    }

    /** The same, valid for {@code lifetime} from now. */
    public static String user(String user, String workspace, String role, String audience, Duration lifetime) {
        return Jwt.issuer(ISSUER)
                .audience(audience)
                .subject(user)
                .claim(WORKSPACE_CLAIM, workspace)
                .claim(ROLE_CLAIM, role)
                .claim("jti", UUID.randomUUID().toString())
                .expiresIn(lifetime)
                .jws()
                .keyId(KEY_ID)
                .algorithm(SignatureAlgorithm.RS256)
                .sign(KEYS.getPrivate());
    }

    /** The workspace Owner's token, as the tests name Owners: {@code owner-of-<workspace>}. */
    public static String owner(String workspace) {
        return user(ownerOf(workspace), workspace, "OWNER");
    }

    /** The workspace Owner's token for the service with this audience. */
    public static String owner(String workspace, String audience) {
        return user(ownerOf(workspace), workspace, "OWNER", audience);
    }

    public static String ownerOf(String workspace) {
        return "owner-of-" + workspace;
    }

    private static String jwks() {
        RSAPublicKey key = (RSAPublicKey) KEYS.getPublic();
        return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + KEY_ID
                + "\",\"n\":\"" + unsigned(key.getModulus()) + "\",\"e\":\"" + unsigned(key.getPublicExponent())
                + "\"}]}";
    }

    /** A JWK integer: unsigned big-endian bytes, base64url without padding (RFC 7518 §6.3.1). */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** An RSA-2048 key pair, as the gateway's. */
    public static KeyPair newKeyPair() {
        return generate();
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
