package dev.spalce.testsupport;

import io.restassured.RestAssured;
import io.restassured.authentication.AuthenticationScheme;
import io.restassured.authentication.OAuth2Scheme;
import io.restassured.authentication.PreemptiveOAuth2HeaderScheme;
import io.restassured.config.SSLConfig;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The internal PKI of the local runtime, as the tests use it: the internal CA and one certificate per identity
 * ({@code <state>/pki/<identity>.crt|.key}, made by {@code ./spalce infra up}). The services present and verify
 * these on every internal hop (mutual TLS); a test that calls a service presents the certificate of the service it
 * plays.
 *
 * <p>RestAssured, once {@link #installForRestAssured() installed} (every {@code @QuarkusTest} does it through
 * {@link InternalTlsCallback}), presents the certificate of the identity its bearer token names, as the real caller
 * would: a service's client-credentials token ({@code spalce-<service>}) that service's, the gateway's internal
 * token the gateway's. {@link #actingAs} overrides that for a test of a mismatch.
 */
public final class InternalTls {

    /** The identities the local PKI issues certificates to: the five services and the admin tooling. */
    public static final List<String> SERVICES =
            List.of("auth-gateway", "evidence-service", "crypto-service", "rewrap-worker", "audit-log-service");

    public static final String ADMIN = "spalce-admin";

    public static final String GATEWAY = "auth-gateway";
    private static final ThreadLocal<String> PRESENTED = new ThreadLocal<>();
    private static final ThreadLocal<String> OVERRIDE = new ThreadLocal<>();

    private InternalTls() {}

    /** The folder of the internal CA and the identities' key pairs. */
    public static Path directory() {
        return Infrastructure.stateDirectory().resolve("pki");
    }

    /** The internal CA's certificate (PEM). */
    public static Path caCertificate() {
        return directory().resolve("ca.crt");
    }

    /** The context of RestAssured's connections, whose cached sessions {@link #forgetSessions} drops. */
    private static volatile SSLContext restAssuredContext;

    /** An identity's certificate (PEM). */
    public static Path certificate(String identity) {
        return directory().resolve(identity + ".crt");
    }

    /** An identity's private key (PKCS#8 PEM). */
    public static Path key(String identity) {
        return directory().resolve(identity + ".key");
    }

    /** A TLS context presenting {@code identity}'s certificate and trusting the internal CA only. */
    public static SSLContext sslContext(String identity) {
        return context(new KeyManager[] {new IdentityKeyManager(() -> identity)});
    }

    /** A TLS context that trusts the internal CA but presents no certificate at all. */
    public static SSLContext sslContextWithoutCertificate() {
        return context(null);
    }

    /** Runs {@code call} with RestAssured presenting {@code identity}'s certificate whatever its token names. */
    public static <T> T actingAs(String identity, Callable<T> call) throws Exception {
        OVERRIDE.set(identity);
        try {
            return call.call();
        } finally {
            OVERRIDE.remove();
        }
    }

    /**
     * Makes RestAssured trust the internal CA (and nothing else) for https and present the certificate of the
     * identity the request's token names. Idempotent.
     */
    public static synchronized void installForRestAssured() {
        SSLContext context = context(new KeyManager[] {new IdentityKeyManager(InternalTls::presentedIdentity)});
        restAssuredContext = context;
        @SuppressWarnings("deprecation")
        org.apache.http.conn.ssl.SSLSocketFactory sockets = new org.apache.http.conn.ssl.SSLSocketFactory(
                context, org.apache.http.conn.ssl.SSLSocketFactory.STRICT_HOSTNAME_VERIFIER);
        RestAssured.config =
                RestAssured.config().sslConfig(SSLConfig.sslConfig().sslSocketFactory(sockets));
        if (RestAssured.filters().stream().noneMatch(IdentityFromToken.class::isInstance)) {
            RestAssured.filters(new IdentityFromToken());
        }
    }

    /** The identity a call carrying this bearer token comes from, as its certificate names it. */
    static String identityOfToken(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return GATEWAY;
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        if (parts.length < 2) {
            return GATEWAY;
        }
        String claims;
        try {
            claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notAToken) {
            return GATEWAY;
        }
        // A service's client-credentials token names it as its subject (spalce-<service>); anything else (a user's
        // token forwarded by the gateway, the gateway's internal token) comes over the gateway's connection.
        for (String service : SERVICES) {
            if (claims.contains("\"sub\":\"spalce-" + service + "\"")) {
                return service;
            }
        }
        return GATEWAY;
    }

    /**
     * The request's bearer token: its Authorization header, or the token of {@code auth().oauth2(...)}, which
     * RestAssured turns into that header only after the filters have run.
     */
    private static String authorizationOf(FilterableRequestSpecification request) {
        String header = request.getHeaders().getValue("Authorization");
        if (header != null) {
            return header;
        }
        AuthenticationScheme scheme = request.getAuthenticationScheme();
        if (scheme instanceof PreemptiveOAuth2HeaderScheme oauth2) {
            return "Bearer " + oauth2.getAccessToken();
        }
        if (scheme instanceof OAuth2Scheme oauth2) {
            return "Bearer " + oauth2.getAccessToken();
        }
        return null;
    }

    private static String presentedIdentity() {
        String override = OVERRIDE.get();
        if (override != null) {
            return override;
        }
        String presented = PRESENTED.get();
        return presented == null ? GATEWAY : presented;
    }

    /** Notes, before RestAssured connects (on the calling thread), whose certificate the request presents. */
    private static final class IdentityFromToken implements Filter {
        @Override
        public Response filter(
                FilterableRequestSpecification request,
                FilterableResponseSpecification response,
                FilterContext context) {
            PRESENTED.set(identityOfToken(authorizationOf(request)));
            forgetSessions();
            try {
                return context.next(request, response);
            } finally {
                PRESENTED.remove();
            }
        }
    }

    /**
     * A resumed TLS session keeps the client certificate of the handshake that made it, so a request whose token
     * names another identity would reach the service under the previous one's certificate: every request of the
     * tests' one client starts a full handshake instead.
     */
    private static void forgetSessions() {
        SSLContext context = restAssuredContext;
        if (context == null) {
            return;
        }
        SSLSessionContext sessions = context.getClientSessionContext();
        for (byte[] id : Collections.list(sessions.getIds())) {
            SSLSession session = sessions.getSession(id);
            if (session != null) {
                session.invalidate();
            }
        }
    }

    private static SSLContext context(KeyManager[] keyManagers) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (X509Certificate ca : certificates(caCertificate())) {
                trusted.setCertificateEntry("internal-ca-" + i++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    "cannot read the internal CA at " + caCertificate() + " (./spalce infra up creates it)", e);
        }
    }

    /** The certificates of a PEM file, in order. */
    public static List<X509Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> all =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            return all.stream().map(X509Certificate.class::cast).toList();
        }
    }

    static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(base64);
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException notEc) {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
    }

    /** Presents, at each handshake, the key pair of whichever identity {@code identity} names at that moment. */
    private static final class IdentityKeyManager extends X509ExtendedKeyManager {

        private final java.util.function.Supplier<String> identity;
        private final Map<String, Map.Entry<PrivateKey, X509Certificate[]>> loaded =
                new java.util.concurrent.ConcurrentHashMap<>();

        IdentityKeyManager(java.util.function.Supplier<String> identity) {
            this.identity = identity;
        }

        private Map.Entry<PrivateKey, X509Certificate[]> pair(String alias) {
            return loaded.computeIfAbsent(alias, name -> {
                try {
                    return Map.entry(
                            privateKey(key(name)),
                            certificates(certificate(name)).toArray(X509Certificate[]::new));
                } catch (IOException | GeneralSecurityException e) {
                    throw new IllegalStateException(
                            "cannot read the internal key pair of " + name + " in " + directory(), e);
                }
            });
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return identity.get();
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return identity.get();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {identity.get()};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return pair(alias).getValue();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return pair(alias).getKey();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
