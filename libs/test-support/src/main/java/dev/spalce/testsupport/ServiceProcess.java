package dev.spalce.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Spalce service started as a process of its own from the jar its module built
 * ({@code <module>/target/quarkus-app/quarkus-run.jar}), in the test profile, on free loopback ports (service and
 * management), on the shared infrastructure. Its output goes to {@code <logDirectory>/<module>.log}. Used by
 * e2e-tests for the whole suite and by a service's tests that need another service for real (evidence-service
 * runs crypto-service this way).
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final String module;
    private final int port;
    private final int managementPort;
    private final Path log;
    private Process process;
    private boolean launched;
    private Path copy;

    private ServiceProcess(String module, Path logDirectory, String instance) throws IOException {
        this.module = module;
        this.port = freePort();
        this.managementPort = freePort();
        this.log = Files.createDirectories(logDirectory).resolve(instance + ".log");
    }

    /** Reserves the ports of {@code module}; {@link #launch} starts it. */
    public static ServiceProcess prepare(String module, Path logDirectory) throws IOException {
        return new ServiceProcess(module, logDirectory, module);
    }

    /**
     * Reserves the ports of one more instance of {@code module}, named {@code instance} (its log is
     * {@code instance.log}), as when a service is scaled out.
     */
    public static ServiceProcess prepareInstance(String module, String instance, Path logDirectory) throws IOException {
        return new ServiceProcess(module, logDirectory, instance);
    }

    /**
     * The repository root the module folders are in: the system property {@code spalce.root} (the build sets it
     * to the multi-module directory), else the parent of the working directory (a module's own folder).
     */
    public static Path repositoryRoot() {
        return Path.of(System.getProperty("spalce.root", "..")).toAbsolutePath().normalize();
    }

    /**
     * The service's base URL (service port): mutual TLS with the internal CA for an internal service (see
     * {@link InternalTls}); the gateway's plain loopback port for the gateway, whose HTTPS port is its public one.
     */
    public URI url() {
        return URI.create((isGateway() ? "http" : "https") + "://127.0.0.1:" + port);
    }

    private boolean isGateway() {
        return module.equals("auth-gateway");
    }

    /** The management interface's base URL (health, metrics): TLS with the service's internal certificate. */
    public URI managementUrl() {
        return URI.create("https://127.0.0.1:" + managementPort);
    }

    /** The module's name, e.g. {@code crypto-service}. */
    public String module() {
        return module;
    }

    /** The file the process writes its output to. */
    public Path log() {
        return log;
    }

    /**
     * Starts the jar with the test profile, the reserved ports and {@code systemProperties} (each passed as
     * {@code -Dkey=value}, in order). Does not wait: see {@link #awaitReady}.
     */
    public ServiceProcess launch(Map<String, String> systemProperties) throws IOException {
        Path jar = repositoryRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first (./mvnw install does)");
        }
        jar = snapshot(jar.getParent()).resolve("quarkus-run.jar");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m",
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.profile=test",
                "-Dquarkus.http.host=127.0.0.1",
                // An internal service listens with mutual TLS only; every service has its key pair from the
                // internal PKI.
                (isGateway() ? "-Dquarkus.http.port=" : "-Dquarkus.http.ssl-port=") + port,
                "-Dspalce.internal-tls.dir=" + InternalTls.directory(),
                // The jars are built for production: health and metrics are on the management port.
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPort));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        // A relaunch (after killForcibly) appends, so the log tells the whole story.
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        launched
                                ? ProcessBuilder.Redirect.appendTo(log.toFile())
                                : ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        launched = true;
        return this;
    }

    /**
     * Runs the module's database migrations as a step of their own, as production does before a service rolls
     * out: the same jar with {@code quarkus.init-and-exit=true} (Quarkus runs Flyway as the admin role, then
     * exits), {@code systemProperties} and the test profile's admin role. Waits for it to exit; fails unless it
     * exits 0. Its output goes to the head of the module's log.
     */
    public void migrate(Map<String, String> systemProperties) throws IOException, InterruptedException {
        Map<String, String> properties = new java.util.LinkedHashMap<>(systemProperties);
        properties.put("quarkus.init-and-exit", "true");
        properties.put("spalce.test.migrate-at-start", "true");
        launch(properties);
        Process migration = process;
        if (!migration.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            migration.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(
                    module + ": migrations did not finish in " + START_TIMEOUT + "; see " + log);
        }
        process = null;
        if (migration.exitValue() != 0) {
            throw new IllegalStateException(
                    module + ": migrations failed (exit " + migration.exitValue() + "); see " + log);
        }
    }

    /**
     * Kills the process at once (SIGKILL: no shutdown hook, no graceful stop), as a crash would; {@link #launch}
     * starts it again on the same ports.
     */
    public void killForcibly() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            process = null;
        }
    }

    /**
     * Copies the built application ({@code quarkus-app}) beside the log and runs the copy: a rebuild of the module
     * while this process runs (another engineer's build, a CI step) then cannot pull jars out from under it.
     */
    private Path snapshot(Path app) throws IOException {
        copy = log.getParent().resolve("apps").resolve(module + "-" + port);
        try (var files = Files.walk(app)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(app.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return copy;
    }

    /** Waits until {@code /q/health/ready} answers 200 on the management port; fails if the process exits first. */
    public ServiceProcess awaitReady() throws InterruptedException {
        // As a platform's probe does: TLS, the service's certificate verified against the internal CA, no client
        // certificate of its own.
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .sslContext(InternalTls.sslContextWithoutCertificate())
                .build();
        HttpRequest ready = HttpRequest.newBuilder(managementUrl().resolve("/q/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (process == null || !process.isAlive()) {
                // The log's tail goes into the failure itself: the next start of the suite overwrites the log.
                throw new IllegalStateException(module + " exited during start-up"
                        + (process == null ? "" : " with exit " + process.exitValue()) + "; see " + log
                        + ", which ended:\n" + logTail(60));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(
                module + " not ready after " + START_TIMEOUT + "; see " + log + ", which ended:\n" + logTail(60));
    }

    /** The last {@code lines} lines of the log, or why they cannot be read. */
    private String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(the log cannot be read: " + e + ")";
        }
    }

    /** Stops the process (SIGTERM, then forcibly after 30 seconds) and removes its copy of the application. */
    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
        if (copy != null) {
            try (var files = Files.walk(copy)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("[service-process] could not remove " + copy + ": " + e.getMessage());
            }
            copy = null;
        }
    }

    /**
     * A loopback port free at the time of asking, below the kernel's ephemeral range (Linux: 32768-60999). A port the
     * kernel handed out ({@code new ServerSocket(0)}) is an ephemeral one, which any outgoing connection of any
     * process (a Kafka or PostgreSQL client) may take as its local port before the service binds it: the fault suite
     * saw services fail to start on "port in use" that way, on a busy machine. Never the same port twice in one JVM:
     * the suite asks for ten before the first service binds one, and a port is free until then.
     */
    public static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = random.nextInt(PORTS_FROM, PORTS_TO);
            if (!HANDED_OUT.add(candidate)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(candidate, 50, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The range {@link #freePort} draws from: above the runtime's fixed ports, below the ephemeral ones. */
    private static final int PORTS_FROM = 20_000;

    private static final int PORTS_TO = 32_000;

    /** Every port {@link #freePort} has returned in this JVM. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();
}
