package dev.spalce.testsupport;

import dev.spalce.contracts.KafkaTls;
import dev.spalce.contracts.TopicProvisioner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real infrastructure every test shares: PostgreSQL, one Kafka broker, one OIDC server and one object
 * store, at the addresses the services' test profile uses (overridable with the same SPALCE_* variables as
 * the local runtime). When a component does not answer, {@code ./spalce infra up} starts it, and this JVM
 * stops it again on exit; {@code ./spalce test} starts everything once for all modules instead.
 */
public final class Infrastructure {

    public static final String DB_HOST = env("SPALCE_DB_HOST", "127.0.0.1");
    public static final int DB_PORT = Integer.parseInt(env("SPALCE_DB_PORT", "5432"));
    public static final String DB_ADMIN_USER = env("SPALCE_DB_ADMIN_USER", "postgres");
    public static final String DB_ADMIN_PASSWORD = env("SPALCE_DB_ADMIN_PASSWORD", "");
    public static final String TEST_DATABASE = env("SPALCE_TEST_DATABASE", "spalce_test");
    public static final String KAFKA_BOOTSTRAP = env("SPALCE_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
    public static final String OIDC_ISSUER = env("SPALCE_OIDC_ISSUER", "http://127.0.0.1:18080/spalce");
    public static final String S3_ENDPOINT = env("SPALCE_S3_ENDPOINT", "http://127.0.0.1:19090");

    private static boolean ready;

    private Infrastructure() {}

    /** Makes sure everything answers, the test database exists and every topic exists. Idempotent. */
    public static synchronized void ensureReady() {
        if (ready) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (!answers(DB_HOST, DB_PORT)) {
            missing.add("postgresql");
        }
        if (!answers(KAFKA_BOOTSTRAP)) {
            missing.add("kafka");
        }
        if (!answers(OIDC_ISSUER)) {
            missing.add("oidc");
        }
        if (!answers(S3_ENDPOINT)) {
            missing.add("s3");
        }
        if (!Files.isRegularFile(tlsCertificate())) {
            missing.add("local TLS certificate");
        }
        if (!Files.isRegularFile(InternalTls.caCertificate())) {
            missing.add("internal CA");
        }
        if (!missing.isEmpty()) {
            startWithLocalRuntime(missing);
        }
        createTestDatabase();
        try {
            TopicProvisioner.ensureTopics(KAFKA_BOOTSTRAP, (short) 1, kafkaTls(InternalTls.ADMIN));
        } catch (Exception e) {
            throw new IllegalStateException("could not create the Kafka topics at " + KAFKA_BOOTSTRAP, e);
        }
        ready = true;
    }

    /**
     * Stops and restarts the Kafka broker (through {@code ./spalce infra restart kafka}), for tests that prove
     * that nothing is lost while it is down. Returns false, restarting nothing, when the broker was not
     * started by this repository's runtime.
     */
    public static boolean restartKafka() {
        ensureReady();
        if (!Files.isRegularFile(stateDirectory().resolve("run").resolve("kafka.pid"))) {
            return false;
        }
        run(repositoryRoot().resolve("spalce"), "infra", "restart", "kafka");
        return true;
    }

    /**
     * Restarts PostgreSQL ({@code pg_ctl restart -m fast}, through {@code ./spalce infra restart postgres}) when it is
     * the runtime's private cluster ({@code SPALCE_DB_PRIVATE=true}, on a port of its own); returns false, restarting
     * nothing, otherwise: a shared PostgreSQL is never restarted by a test.
     */
    public static boolean restartPostgres() {
        ensureReady();
        if (!"true".equals(env("SPALCE_DB_PRIVATE", "false")) || DB_PORT == 5432) {
            return false;
        }
        run(repositoryRoot().resolve("spalce"), "infra", "restart", "postgres");
        return true;
    }

    /**
     * Stops one component the local runtime started ({@code kafka}, {@code oidc} or {@code s3}: {@code ./spalce infra
     * stop}), for a test of an outage; {@link #startComponent} ends it. Fails when the runtime did not start it.
     */
    public static void stopComponent(String component) {
        ensureReady();
        requireStartedByRuntime(component);
        run(repositoryRoot().resolve("spalce"), "infra", "stop", component);
    }

    /** Starts a component {@link #stopComponent} stopped, and waits until it answers. */
    public static void startComponent(String component) {
        run(repositoryRoot().resolve("spalce"), "infra", "start", component);
    }

    private static void requireStartedByRuntime(String component) {
        if (!Files.isRegularFile(stateDirectory().resolve("run").resolve(component + ".pid"))) {
            throw new IllegalStateException(
                    component + " was not started by ./spalce infra up: a test cannot stop it (it may be shared)");
        }
    }

    /**
     * The settings of a Kafka client on the broker's mutual TLS listener as {@code identity} (a service's name, or
     * {@link InternalTls#ADMIN}, the super user that creates topics and ACLs and that the test clients use).
     */
    public static Map<String, Object> kafkaTls(String identity) {
        return KafkaTls.client(
                InternalTls.certificate(identity), InternalTls.key(identity), InternalTls.caCertificate());
    }

    /** The state folder of the local runtime ({@code SPALCE_STATE_DIR}, by default {@code .spalce}). */
    public static Path stateDirectory() {
        return Path.of(
                env("SPALCE_STATE_DIR", repositoryRoot().resolve(".spalce").toString()));
    }

    /** The gateway's local TLS certificate (PEM), made by {@code ./spalce infra up}. */
    public static Path tlsCertificate() {
        return stateDirectory().resolve("tls").resolve("gateway-cert.pem");
    }

    /** Its private key (PEM). */
    public static Path tlsKey() {
        return stateDirectory().resolve("tls").resolve("gateway-key.pem");
    }

    /**
     * Makes sure a Debian package's command exists (tests use nmap), installing the package with apt-get when it
     * does not; fails with the package's name when that is impossible.
     */
    public static void requireCommand(String command, String debianPackage) {
        if (onPath(command)) {
            return;
        }
        try {
            Process install = new ProcessBuilder(
                            "sh",
                            "-c",
                            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive " + "apt-get install -y -qq "
                                    + debianPackage)
                    .inheritIO()
                    .start();
            install.waitFor(10, TimeUnit.MINUTES);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "'" + command + "' is missing; install the Debian package " + debianPackage, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!onPath(command)) {
            throw new IllegalStateException(
                    "'" + command + "' is missing; install the Debian package " + debianPackage);
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** A JDBC connection to the test database as the admin role, for tests that inspect raw rows. */
    public static Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(TEST_DATABASE), DB_ADMIN_USER, DB_ADMIN_PASSWORD);
    }

    /** A JDBC connection to the test database as a service's own role, for tests of its grants. */
    public static Connection connectionAs(String role) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(TEST_DATABASE), role, "");
    }

    private static void createTestDatabase() {
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), DB_ADMIN_USER, DB_ADMIN_PASSWORD);
                var exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, TEST_DATABASE);
            if (!exists.executeQuery().next()) {
                try (var create = admin.createStatement()) {
                    create.execute("CREATE DATABASE " + TEST_DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + DB_HOST + ":" + DB_PORT + " refused the admin role '" + DB_ADMIN_USER
                            + "' (set SPALCE_DB_ADMIN_USER/PASSWORD)",
                    e);
        }
    }

    private static void startWithLocalRuntime(List<String> missing) {
        Path launcher = repositoryRoot().resolve("spalce");
        System.out.println("[spalce-test] not answering: " + missing + "; starting them with ./spalce infra up");
        run(launcher, "infra", "up");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> run(launcher, "infra", "down")));
    }

    private static void run(Path launcher, String... args) {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + launcher, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + launcher, e);
        }
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isExecutable(dir.resolve("spalce")) && Files.isDirectory(dir.resolve("deploy/local"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the repository root (the folder holding ./spalce) above "
                + Path.of("").toAbsolutePath());
    }

    private static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + DB_HOST + ":" + DB_PORT + "/" + database;
    }

    private static boolean answers(String hostPortOrUrl) {
        if (hostPortOrUrl.contains("://")) {
            URI uri = URI.create(hostPortOrUrl);
            return answers(uri.getHost(), uri.getPort());
        }
        String first = hostPortOrUrl.split(",")[0];
        int colon = first.lastIndexOf(':');
        return answers(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
