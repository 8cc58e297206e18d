package dev.spalce.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spalce.deploy.checks.Design;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The image tarballs the build wrote (target/images/SERVICE.tar), read as a container runtime reads them,
 * then unpacked and run: the Java runtime, each service up to its configuration check, and ECS's files-init
 * shell command, all as the service's user on a read-only root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesIT {

    /** Libraries of the desktop modules (AWT, sound, splash screen) that need X11 or ALSA: never loaded headless. */
    private static final Set<String> DESKTOP_LIBRARIES =
            Set.of("libawt_xawt.so", "libjawt.so", "libjsound.so", "libsplashscreen.so");

    /** PostgreSQL as ./spalce test provides it (the same variables, the same defaults). */
    private static final String DB_HOST = System.getenv().getOrDefault("SPALCE_DB_HOST", "127.0.0.1");

    private static final String DB_PORT = System.getenv().getOrDefault("SPALCE_DB_PORT", "5432");
    private static final String DB_ADMIN = System.getenv().getOrDefault("SPALCE_DB_ADMIN_USER", "postgres");
    private static final String MIGRATION_DATABASE = "spalce_images_it";

    private final Map<String, OciArchive> archives = new HashMap<>();
    private boolean migrationDatabaseCreated;
    private final Map<String, List<OciArchive.Entry>> entries = new HashMap<>();
    private Path scratch;

    @BeforeAll
    void openEveryImage() throws Exception {
        Path images = Path.of(System.getProperty("spalce.images.dir", "target/images"));
        scratch = images.resolveSibling("images-it");
        DebianPackages.deleteTree(scratch);
        for (String service : Design.SERVICES) {
            OciArchive archive = OciArchive.open(images.resolve(service + ".tar"), scratch.resolve(service));
            archives.put(service, archive);
            entries.put(service, archive.entries());
        }
    }

    static List<String> services() {
        return Design.SERVICES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void image_runsTheServiceAsItsNumericUser_withTheDesignsPortsAndVolumes(String service) {
        JsonNode config = archives.get(service).config();
        assertThat(config.path("User").asText()).isEqualTo(Design.SERVICE_UID + ":" + Design.SERVICE_UID);
        assertThat(names(config.path("ExposedPorts")))
                .containsExactlyInAnyOrder(Design.API_PORT.get(service) + "/tcp", Design.MANAGEMENT_PORT + "/tcp");
        Set<String> volumes = new TreeSet<>(Design.mountedDirectories(service));
        volumes.add("/tmp");
        assertThat(names(config.path("Volumes"))).containsExactlyInAnyOrderElementsOf(volumes);
        List<String> entrypoint = texts(config.path("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
                .containsExactly("-jar", "/deployments/quarkus-run.jar");
        assertThat(config.path("Labels").path("org.opencontainers.image.title").asText())
                .isEqualTo(service);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void image_isNamedAsTheKubernetesManifestsNameIt(String service) throws IOException {
        Path repository = Path.of(System.getProperty("spalce.repo.root", "../.."));
        for (Path manifest : List.of(
                repository.resolve("deploy/k8s/base/app/" + service + "/deployment.yaml"),
                repository.resolve("deploy/k8s/base/migrations/" + service + ".yaml"))) {
            assertThat(Files.readString(manifest))
                    .as(manifest.toString())
                    .contains("image: " + archives.get(service).reference() + "\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void image_bakesInNoSecretAndNoKeyFile(String service) {
        List<String> variables = texts(archives.get(service).config().path("Env")).stream()
                .map(variable -> variable.substring(0, variable.indexOf('=')))
                .toList();
        assertThat(variables).noneMatch(name -> Design.SECRET_NAME.matcher(name).matches());
        assertThat(variables).isSubsetOf("JAVA_HOME", "PATH", "LANG", "QUARKUS_HTTP_PORT");
        assertThat(entries.get(service))
                .extracting(OciArchive.Entry::path)
                .noneMatch(path -> path.matches(".*\\.(pem|key|crt|p12|pfx|jks|keystore)$"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void image_isRootsAndReadOnlyToTheService_exceptItsMountPoints(String service) {
        Set<String> mountPoints = Design.mountedDirectories(service);
        for (OciArchive.Entry entry : entries.get(service)) {
            assertThat(entry.mode() & 07000)
                    .as("no setuid, setgid or sticky bit: %s", entry)
                    .isZero();
            assertThat(entry.link()).as("links are stored as files: %s", entry).isFalse();
            if (mountPoints.contains(entry.path())) {
                assertThat(entry.directory()).as(entry.toString()).isTrue();
                assertThat(entry.uid()).as(entry.toString()).isEqualTo(Design.SERVICE_UID);
                assertThat(entry.gid()).as(entry.toString()).isEqualTo(Design.SERVICE_UID);
                assertThat(entry.mode())
                        .as(entry.toString())
                        .isEqualTo(entry.path().equals(Design.DB_CA_DIR) ? 0755 : 0700);
            } else {
                assertThat(entry.uid()).as("owned by root: %s", entry).isZero();
                assertThat(entry.gid()).as("owned by root: %s", entry).isZero();
                if (!entry.path().equals("/tmp")) {
                    assertThat(entry.mode() & 022)
                            .as("writable by root only: %s", entry)
                            .isZero();
                }
            }
        }
        assertThat(entries.get(service))
                .filteredOn(entry -> mountPoints.contains(entry.path()))
                .hasSize(mountPoints.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void image_hasOneShellAndNoPackageManagerOrNetworkTool(String service) {
        Set<String> programs = entries.get(service).stream()
                .filter(entry -> !entry.directory() && (entry.mode() & 0111) != 0)
                .map(OciArchive.Entry::path)
                .filter(path -> path.matches("/(usr/)?s?bin/.*"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(programs).containsExactly("/bin/dash", "/bin/sh");
        assertThat(entries.get(service))
                .filteredOn(entry -> !entry.directory())
                .extracting(OciArchive.Entry::path)
                .noneMatch(
                        path -> path.matches(".*/(apt|apt-get|dpkg|bash|curl|wget|nc|busybox|su|sudo|javac|jshell)$"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void image_declaresItsDebianPackagesWhereScannersLook(String service) {
        List<String> paths =
                entries.get(service).stream().map(OciArchive.Entry::path).toList();
        assertThat(paths).contains("/etc/os-release");
        String label = archives.get(service)
                .config()
                .path("Labels")
                .path("dev.spalce.debian.packages")
                .asText();
        for (String name : DebianPackages.NAMES) {
            assertThat(paths).contains("/var/lib/dpkg/status.d/" + name);
            assertThat(label).containsPattern("(^| )" + name + "=\\S+");
        }
    }

    @Test
    void images_shareTheirBaseLayers_andDifferInTheirApplication() {
        Map<String, List<Path>> blobs = new LinkedHashMap<>();
        archives.forEach((service, archive) -> blobs.put(service, archive.layerBlobs()));
        List<String> base = List.of("debian packages", "java runtime");
        for (String name : base) {
            Set<String> digests = archives.values().stream()
                    .map(archive -> archive.layerBlobs()
                            .get(archive.layerNames().indexOf(name))
                            .getFileName()
                            .toString())
                    .collect(Collectors.toSet());
            assertThat(digests).as("one %s layer for all five images", name).hasSize(1);
        }
        Set<String> applications = archives.values().stream()
                .map(archive -> archive.layerBlobs()
                        .get(archive.layerNames().indexOf("application"))
                        .getFileName()
                        .toString())
                .collect(Collectors.toSet());
        assertThat(applications).hasSize(Design.SERVICES.size());
    }

    @Test
    void javaRuntime_resolvesEveryNativeLibraryInTheImage_butTheDesktopOnes() throws Exception {
        Path root = fileSystem(Design.CRYPTO);
        List<String> unresolved = new ArrayList<>();
        List<String> libraries;
        try (Stream<Path> files = Files.walk(root.resolve("opt/java"))) {
            libraries = files.filter(file -> file.toString().endsWith(".so"))
                    .map(file -> "/" + root.relativize(file))
                    .sorted()
                    .toList();
        }
        assertThat(libraries).contains("/opt/java/lib/server/libjvm.so", "/opt/java/lib/libnet.so");
        for (String library : libraries) {
            Chroot.Result listed = Chroot.run(
                    root,
                    List.of(),
                    Map.of("LD_LIBRARY_PATH", "/opt/java/lib:/opt/java/lib/server"),
                    List.of("/lib64/ld-linux-x86-64.so.2", "--list", library));
            if (listed.exit() != 0) {
                unresolved.add(Path.of(library).getFileName().toString());
            }
        }
        assertThat(unresolved).isSubsetOf(DESKTOP_LIBRARIES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void service_startsFromItsImage_onAReadOnlyRoot_andStopsOnlyForItsMissingConfiguration(String service)
            throws Exception {
        Path root = fileSystem(service);
        Chroot.Result started = Chroot.run(
                root,
                List.copyOf(Design.mountedDirectories(service)),
                imageEnvironment(service),
                texts(archives.get(service).config().path("Entrypoint")));

        assertThat(started.output())
                .as("Quarkus got as far as checking its configuration, which nothing here provides")
                .contains("Configuration validation failed")
                .contains("SRCFG")
                .doesNotContain("NoClassDefFoundError")
                .doesNotContain("ClassNotFoundException")
                .doesNotContain("UnsatisfiedLinkError")
                .doesNotContain("Unable to find provider")
                .doesNotContain("Read-only file system");
        assertThat(started.exit()).isNotZero();
    }

    /**
     * What the Kubernetes migration Job and the ECS one-off task do with the image: the service's own jar with
     * QUARKUS_INIT_AND_EXIT=true and the admin role runs its Flyway migrations and exits. Here against the real
     * PostgreSQL, into a database of this test's own, with a throwaway key pair mounted read-only where the
     * internal certificate goes (start-up loads it even when it only migrates).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void migrations_runFromTheImage_asTheMigrationJobRunsThem_andExitCleanly(String service) throws Exception {
        Path root = fileSystem(service);
        String database = migrationDatabase();
        Path keyPair = keyPair(service);
        Map<String, Path> mounted = new LinkedHashMap<>();
        mounted.put(Design.INTERNAL_TLS_DIR, keyPair);
        Map<String, String> environment = imageEnvironment(service);
        environment.put("QUARKUS_PROFILE", "dev");
        environment.put("QUARKUS_INIT_AND_EXIT", "true");
        environment.put("QUARKUS_HTTP_PORT", "0");
        environment.put("QUARKUS_HTTP_SSL_PORT", "0");
        environment.put("QUARKUS_MANAGEMENT_PORT", "0");
        environment.put("SPALCE_DB_HOST", DB_HOST);
        environment.put("SPALCE_DB_PORT", DB_PORT);
        environment.put("SPALCE_DB_NAME", database);
        environment.put("SPALCE_DB_ADMIN_USER", DB_ADMIN);
        environment.put("SPALCE_INTERNAL_TLS_CERT", Design.INTERNAL_TLS_DIR + "/tls.crt");
        environment.put("SPALCE_INTERNAL_TLS_KEY", Design.INTERNAL_TLS_DIR + "/tls.key");
        environment.put("SPALCE_INTERNAL_TLS_CA", Design.INTERNAL_TLS_DIR + "/ca.crt");
        if (service.equals(Design.GATEWAY)) {
            mounted.put(Design.TLS_DIR, keyPair);
            environment.put("SPALCE_TLS_CERTIFICATE", Design.TLS_DIR + "/tls.crt");
            environment.put("SPALCE_TLS_KEY", Design.TLS_DIR + "/tls.key");
        }

        Chroot.Result migrated = Chroot.run(
                root,
                List.copyOf(Design.mountedDirectories(service)),
                mounted,
                environment,
                texts(archives.get(service).config().path("Entrypoint")));

        assertThat(migrated.exit()).as(migrated.output()).isZero();
        assertThat(migrated.output()).containsPattern("Successfully applied \\d+ migrations? to schema");
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://%s:%s/%s".formatted(DB_HOST, DB_PORT, database), DB_ADMIN, "");
                ResultSet history = connection
                        .createStatement()
                        .executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'flyway_schema_history'"
                                + " AND schemaname NOT IN ('pg_catalog', 'information_schema')")) {
            history.next();
            assertThat(history.getInt(1)).as("a migrated schema in " + database).isPositive();
        }
    }

    @Test
    void filesInit_writesIntoItsVolumeAsTheServiceUser_butNeverIntoTheImage() throws Exception {
        Path root = fileSystem(Design.AUDIT);
        String key = "-----BEGIN PRIVATE KEY-----";
        Chroot.Result written = Chroot.run(
                root,
                List.copyOf(Design.mountedDirectories(Design.AUDIT)),
                Map.of("AUDIT_SIGNING_KEY", key),
                List.of(
                        "/bin/sh",
                        "-c",
                        "umask 077 && printf '%s\\n' \"$AUDIT_SIGNING_KEY\" > " + Design.AUDIT_SIGNING_DIR
                                + "/signing-key.pem && read line < " + Design.AUDIT_SIGNING_DIR + "/signing-key.pem"
                                + " && [ \"$line\" = \"$AUDIT_SIGNING_KEY\" ] && echo volume-written"
                                + " && if printf x > /etc/spalce/planted 2>/dev/null; then echo image-written; fi"
                                + " && if printf x > /deployments/planted 2>/dev/null; then echo image-written; fi"));

        assertThat(written.exit()).as(written.output()).isZero();
        assertThat(written.output()).contains("volume-written").doesNotContain("image-written");
    }

    /** A database of this test's own, created empty once per run. */
    private synchronized String migrationDatabase() throws Exception {
        if (!migrationDatabaseCreated) {
            try (Connection connection = DriverManager.getConnection(
                            "jdbc:postgresql://%s:%s/postgres".formatted(DB_HOST, DB_PORT), DB_ADMIN, "");
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + MIGRATION_DATABASE + " WITH (FORCE)");
                statement.execute("CREATE DATABASE " + MIGRATION_DATABASE);
            }
            migrationDatabaseCreated = true;
        }
        return MIGRATION_DATABASE;
    }

    /**
     * A throwaway self-signed key pair, as tls.crt, tls.key and ca.crt (itself: nothing is verified while
     * migrating), readable by the service's user only.
     */
    private Path keyPair(String service) throws Exception {
        Path directory = Files.createDirectories(scratch.resolve(service + "-key-pair"));
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "ec",
                        "-pkeyopt",
                        "ec_paramgen_curve:P-256",
                        "-nodes",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=" + service,
                        "-keyout",
                        "tls.key",
                        "-out",
                        "tls.crt")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor()).as(output).isZero();
        Files.copy(directory.resolve("tls.crt"), directory.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        for (Path path : List.of(
                directory, directory.resolve("tls.crt"), directory.resolve("tls.key"), directory.resolve("ca.crt"))) {
            Files.setAttribute(path, "unix:uid", Design.SERVICE_UID);
            Files.setAttribute(path, "unix:gid", Design.SERVICE_UID);
        }
        Files.setPosixFilePermissions(directory.resolve("tls.key"), PosixFilePermissions.fromString("rw-------"));
        return directory;
    }

    private Map<String, String> imageEnvironment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String variable : texts(archives.get(service).config().path("Env"))) {
            int equals = variable.indexOf('=');
            environment.put(variable.substring(0, equals), variable.substring(equals + 1));
        }
        return environment;
    }

    /** The image's file system, unpacked once per service (needs root: owners and modes are kept). */
    private Path fileSystem(String service) throws IOException, InterruptedException {
        assumeTrue(Chroot.available(), "running an image's file system needs root, unshare and chroot");
        Path root = scratch.resolve(service + "-root");
        if (!Files.isDirectory(root.resolve("opt/java"))) {
            archives.get(service).extractFileSystem(root);
        }
        return root;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
