package dev.spalce.e2e;

import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.keyproviders.testing.SoftHsmToken;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The five services, each started as its own process from the jar its module built, on free loopback ports
 * and the shared infrastructure, with the test profile (database spalce_test). Logs go to
 * {@code target/e2e-logs}. One suite serves every test class of the run ({@link #shared}), as one Kafka broker and
 * one OIDC server do: starting five JVMs per class would cost minutes on two cores.
 */
final class RunningSuite implements AutoCloseable {

    static final List<String> SERVICES =
            List.of("crypto-service", "audit-log-service", "evidence-service", "rewrap-worker", "auth-gateway");

    private static final Path LOGS = Path.of("target", "e2e-logs");

    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final String internalTokenPrivateKey;
    private final java.security.PrivateKey internalTokenSigningKey;
    private final String internalTokenPublicKey;
    private final int tlsPort;

    private RunningSuite() throws IOException {
        this.tlsPort = ServiceProcess.freePort();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            this.internalTokenPrivateKey =
                    Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
            this.internalTokenSigningKey = pair.getPrivate();
            this.internalTokenPublicKey =
                    Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is required of every JDK", e);
        }
    }

    private static RunningSuite shared;

    /** The suite of this test run: started by the first test class that asks, stopped when the JVM exits. */
    static synchronized RunningSuite shared() throws IOException, InterruptedException {
        if (shared == null) {
            RunningSuite suite = start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    suite.close();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "e2e-suite-stop"));
            shared = suite;
        }
        return shared;
    }

    private static RunningSuite start() throws IOException, InterruptedException {
        Infrastructure.ensureReady();
        RunningSuite suite = new RunningSuite();
        try {
            for (String service : SERVICES) {
                suite.services.put(service, ServiceProcess.prepare(service, LOGS));
            }
            // Migrations first, each a process of its own that exits, as the deployments run them; the services
            // then start without migrating (and without an active admin datasource).
            for (String service : SERVICES) {
                suite.services.get(service).migrate(suite.properties(service, suite.tlsPort));
            }
            for (String service : SERVICES) {
                suite.services.get(service).launch(suite.properties(service, suite.tlsPort));
            }
            for (ServiceProcess service : suite.services.values()) {
                service.awaitReady();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            suite.close();
            throw e;
        }
        return suite;
    }

    /** Kills {@code service} as a crash would (SIGKILL), then starts it again on the same ports and waits for it. */
    void crashAndRestart(String service) throws IOException, InterruptedException {
        restart(service, Map.of());
    }

    /**
     * Stops {@code service} (SIGKILL) and starts it again on the same ports with {@code overrides} on top of its
     * usual properties; {@code restart(service, Map.of())} brings the usual ones back. For tests that need, say,
     * another pace of rewrap-worker: they put it back when they finish, as the suite is shared.
     */
    void restart(String service, Map<String, String> overrides) throws IOException, InterruptedException {
        ServiceProcess process = services.get(service);
        process.killForcibly();
        Map<String, String> properties = properties(service, tlsPort);
        properties.putAll(overrides);
        process.launch(properties).awaitReady();
    }

    /** Kills {@code service} as a crash would (SIGKILL) and leaves it down; {@link #relaunch} starts it again. */
    void kill(String service) throws InterruptedException {
        services.get(service).killForcibly();
    }

    /** Starts {@code service} again after {@link #kill}, on the same ports with its usual properties; waits for it. */
    void relaunch(String service) throws IOException, InterruptedException {
        services.get(service).launch(properties(service, tlsPort)).awaitReady();
    }

    /**
     * One more instance of {@code service}, on its own ports, with its usual properties and {@code overrides}; the
     * caller closes it. Its log is {@code <instance>.log} beside the others.
     */
    ServiceProcess startInstance(String service, String instance, Map<String, String> overrides)
            throws IOException, InterruptedException {
        ServiceProcess process = ServiceProcess.prepareInstance(service, instance, LOGS);
        Map<String, String> properties = properties(service, tlsPort);
        properties.putAll(overrides);
        try {
            return process.launch(properties).awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /**
     * A token exactly as the gateway of this suite signs one for a routed request (its key, issuer, claims and 60
     * seconds), for {@code audience}: what a service that has seen a gateway token could replay, or what a gateway
     * with a bug could send.
     */
    String internalToken(String subject, String workspace, String role, String audience) {
        return io.smallrye.jwt.build.Jwt.issuer("spalce-auth-gateway")
                .audience(audience)
                .subject(subject)
                .claim("workspace", workspace)
                .claim("role", role)
                .claim("jti", java.util.UUID.randomUUID().toString())
                .expiresIn(java.time.Duration.ofSeconds(60))
                .jws()
                .algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign(internalTokenSigningKey);
    }

    URI url(String service) {
        return services.get(service).url();
    }

    /** The gateway's public HTTPS address, as a browser reaches it. */
    URI gatewayTlsUrl() {
        return URI.create("https://127.0.0.1:" + tlsPort + "/");
    }

    /** The management interface (health, Prometheus metrics) of {@code service}. */
    URI managementUrl(String service) {
        return services.get(service).managementUrl();
    }

    private Map<String, String> properties(String service, int tlsPort) {
        Map<String, String> properties = new LinkedHashMap<>();
        // The test profile points a module's own tests away from the other services; here they are real.
        properties.put(
                "%test.spalce.services.evidence-url", url("evidence-service").toString());
        properties.put("%test.spalce.services.crypto-url", url("crypto-service").toString());
        properties.put("%test.spalce.services.rewrap-url", url("rewrap-worker").toString());
        properties.put(
                "%test.spalce.services.audit-url", url("audit-log-service").toString());
        // Internal tokens as in production: the gateway signs with a configured key pair and every service
        // verifies with the configured public key, without asking the gateway.
        properties.put("spalce.internal-token.public-key", internalTokenPublicKey);
        if (service.equals("auth-gateway")) {
            properties.put("spalce.gateway.internal-token.private-key", internalTokenPrivateKey);
        } else {
            properties.put("quarkus.oidc.gateway.public-key", internalTokenPublicKey);
            properties.put("%test.quarkus.oidc.gateway.auth-server-url", "");
        }
        if (service.equals("crypto-service")) {
            properties.putAll(customerKms());
        }
        if (service.equals("rewrap-worker")) {
            // Slow enough that a rewrap of a few hundred records takes seconds (RewrapAfterRotationIT crashes the
            // worker mid-job); a short lease so that the restarted worker takes its job over quickly.
            properties.put("spalce.rewrap.runner.requests-per-second.local", "50");
            // The same pace on the AWS KMS test server: the fault suite's KMS outage must find a job running.
            properties.put("spalce.rewrap.runner.requests-per-second.aws-kms", "50");
            properties.put("spalce.rewrap.runner.batch-size", "25");
            properties.put("spalce.rewrap.runner.lease", "5s");
        }
        if (service.equals("auth-gateway")) {
            // Long enough for WorkspaceDeletionIT to see the grace period refuse a change, short enough to wait out.
            properties.put("%test.spalce.gateway.workspace-deletion-grace", "8s");
        }
        properties.put("spalce.test.migrate-at-start", "false");
        properties.put("spalce.tls.certificate", Infrastructure.tlsCertificate().toString());
        properties.put("spalce.tls.key", Infrastructure.tlsKey().toString());
        if (service.equals("auth-gateway")) {
            // The gateway's public HTTPS port; an internal service's TLS port is its service port (ServiceProcess).
            properties.put("quarkus.http.ssl-port", Integer.toString(tlsPort));
        }
        // Renewed internal certificates are picked up within seconds (InternalTransportIT renews one).
        properties.put("quarkus.tls.internal.reload-period", "5s");
        return properties;
    }

    /**
     * crypto-service's customer KMSs beside the local keystore: aws-kms against the AWS KMS test server in this JVM
     * (with AWS's documented example credentials, which the SDK reads from system properties), and pkcs11 on the
     * SoftHSM2 token when this machine can have one. MasterKeyChangeIT changes keys from local to each.
     */
    private static Map<String, String> customerKms() {
        Map<String, String> properties = new LinkedHashMap<>();
        KmsTestServers.start().forEach((key, value) -> {
            if (key.startsWith("spalce.crypto.aws-kms.")) {
                properties.put(key, value);
            }
        });
        properties.put("aws.accessKeyId", System.getProperty("aws.accessKeyId"));
        properties.put("aws.secretAccessKey", System.getProperty("aws.secretAccessKey"));
        SoftHsmToken.get().ifPresent(token -> {
            properties.put("spalce.crypto.pkcs11.enabled", "true");
            properties.put("spalce.crypto.pkcs11.library", token.library().toString());
            properties.put("spalce.crypto.pkcs11.slot", Long.toString(token.slot()));
            properties.put("spalce.crypto.pkcs11.pin", SoftHsmToken.USER_PIN);
        });
        return properties;
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess service : services.values()) {
            service.close();
        }
    }
}
