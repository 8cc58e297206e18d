package dev.spalce.e2e;

import dev.spalce.testsupport.Infrastructure;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The five services, each started as its own process from the jar its module built, on free loopback ports
 * and the shared infrastructure, with the test profile (database spalce_test). Logs go to
 * {@code target/e2e-logs}.
 */
final class RunningSuite implements AutoCloseable {

    static final List<String> SERVICES =
            List.of("crypto-service", "audit-log-service", "evidence-service", "rewrap-worker", "auth-gateway");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private final int tlsPort;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    private final String internalTokenPrivateKey;
    private final String internalTokenPublicKey;

    private RunningSuite() throws IOException {
        this.tlsPort = freePort();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            this.internalTokenPrivateKey = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
            this.internalTokenPublicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is required of every JDK", e);
        }
    }

    static RunningSuite start() throws IOException, InterruptedException {
        Infrastructure.ensureReady();
        RunningSuite suite = new RunningSuite();
        for (String service : SERVICES) {
            suite.ports.put(service, freePort());
            suite.managementPorts.put(service, freePort());
        }
        try {
            for (String service : SERVICES) {
                suite.launch(service);
            }
            for (String service : SERVICES) {
                suite.awaitReady(service);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            suite.close();
            throw e;
        }
        return suite;
    }

    URI url(String service) {
        return URI.create("http://127.0.0.1:" + ports.get(service));
    }

    private void launch(String service) throws IOException {
        Path root = Path.of(System.getProperty("spalce.e2e.root", "..")).toAbsolutePath().normalize();
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify does)");
        }
        Path logs = Files.createDirectories(Path.of("target", "e2e-logs"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.profile=test",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + ports.get(service),
                // The jars are built for production: health and metrics are on the management port.
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPorts.get(service)));
        // The test profile points a module's own tests away from the other services; here they are real.
        command.add("-D%test.spalce.services.evidence-url=" + url("evidence-service"));
        command.add("-D%test.spalce.services.crypto-url=" + url("crypto-service"));
        command.add("-D%test.spalce.services.rewrap-url=" + url("rewrap-worker"));
        command.add("-D%test.spalce.services.audit-url=" + url("audit-log-service"));
        // Internal tokens as in production: the gateway signs with a configured key pair and every service
        // verifies with the configured public key, without asking the gateway.
        command.add("-Dspalce.internal-token.public-key=" + internalTokenPublicKey);
        if (service.equals("auth-gateway")) {
            command.add("-Dspalce.gateway.internal-token.private-key=" + internalTokenPrivateKey);
        } else {
            command.add("-Dquarkus.oidc.gateway.public-key=" + internalTokenPublicKey);
            command.add("-D%test.quarkus.oidc.gateway.auth-server-url=");
        }
        command.add("-Dspalce.tls.certificate=" + Infrastructure.tlsCertificate());
        command.add("-Dspalce.tls.key=" + Infrastructure.tlsKey());
        command.add("-Dquarkus.http.ssl-port=" + tlsPort);
        command.addAll(List.of("-jar", jar.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(service + ".log").toFile())
                .start();
        processes.put(service, process);
    }

    private void awaitReady(String service) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPorts.get(service) + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!processes.get(service).isAlive()) {
                throw new IllegalStateException(service + " exited during start-up; see target/e2e-logs/" + service + ".log");
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(service + " not ready after " + START_TIMEOUT + "; see target/e2e-logs/" + service + ".log");
    }

    @Override
    public void close() throws InterruptedException {
        processes.values().forEach(Process::destroy);
        for (Process process : processes.values()) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
