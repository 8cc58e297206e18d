package dev.spalce.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.FilePermissionsProvider;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.spalce.deploy.checks.Design;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One service's image, from scratch, in layers from the least to the most often changed: the Debian
 * packages, the users and the mount points, the Java runtime, then the Quarkus fast-jar (libraries, launcher,
 * generated classes, the service's own classes). Everything is owned by root and read-only to the service's
 * user, except the directories its files are mounted on. Jib writes every file with a fixed timestamp, so
 * the same inputs give the same digest.
 */
final class ServiceImage {

    static final String RUNTIME_HOME = "/opt/java";
    static final String APPLICATION_HOME = "/deployments";

    /**
     * The Java options every service starts with; more can be given at run time in {@code JDK_JAVA_OPTIONS},
     * which the java launcher reads itself (there is no start script).
     */
    static final List<String> ENTRYPOINT = List.of(
            RUNTIME_HOME + "/bin/java",
            "-XX:MaxRAMPercentage=75.0",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
            "-Djava.io.tmpdir=/tmp",
            "-jar",
            APPLICATION_HOME + "/quarkus-run.jar");

    /** Directories holding private keys are the owner's alone; the rest (the RDS CA bundle) readable. */
    private static final FilePermissions PRIVATE_DIRECTORY = FilePermissions.fromOctalString("700");

    private static final FilePermissions OPEN_DIRECTORY = FilePermissions.fromOctalString("755");

    /** /tmp is always a volume (an emptyDir, a Fargate ephemeral volume): this is only its mount point. */
    private static final FilePermissions TMP_DIRECTORY = FilePermissions.fromOctalString("777");

    /**
     * Each file's mode as the Debian package or jlink left it (executables stay executable), without write
     * access for group and others: Debian's world-writable /var/tmp and /var/lock would be the only places
     * besides the volumes a process could write to if the root file system were ever mounted read-write.
     */
    private static final FilePermissionsProvider AS_UNPACKED = (source, target) -> {
        try {
            Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            permissions.addAll(Files.getPosixFilePermissions(source));
            permissions.removeAll(EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
            return FilePermissions.fromPosixFilePermissions(permissions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    };

    private ServiceImage() {}

    /** What every image shares: built once per run. */
    record Base(
            Path debianRoot, List<DebianPackages.Package> packages, Path javaRuntime, Runtime.Version javaVersion) {}

    static JibContainer build(
            String service, Path quarkusApp, Base base, Path work, String tag, Path tarball, Path jibCache)
            throws Exception {
        String reference = "spalce/" + service + ":" + tag;
        JibContainerBuilder image = Jib.fromScratch()
                .setFormat(ImageFormat.OCI)
                .addFileEntriesLayer(debianLayer(base))
                .addFileEntriesLayer(systemLayer(service, work))
                .addFileEntriesLayer(FileEntriesLayer.builder()
                        .setName("java runtime")
                        .addEntryRecursive(base.javaRuntime(), AbsoluteUnixPath.get(RUNTIME_HOME), AS_UNPACKED)
                        .build())
                .addFileEntriesLayer(applicationLayer("libraries", quarkusApp.resolve("lib"), "lib"))
                .addFileEntriesLayer(
                        applicationLayer("launcher", quarkusApp.resolve("quarkus-run.jar"), "quarkus-run.jar"))
                .addFileEntriesLayer(applicationLayer("generated", quarkusApp.resolve("quarkus"), "quarkus"))
                .addFileEntriesLayer(applicationLayer("application", quarkusApp.resolve("app"), "app"))
                .setUser(Design.SERVICE_UID + ":" + Design.SERVICE_UID)
                .setWorkingDirectory(AbsoluteUnixPath.get(APPLICATION_HOME))
                .setEntrypoint(ENTRYPOINT)
                .setEnvironment(environment(service))
                .setExposedPorts(Port.tcp(Design.API_PORT.get(service)), Port.tcp(Design.MANAGEMENT_PORT))
                .setLabels(labels(service, tag, base));
        image.addVolume(AbsoluteUnixPath.get("/tmp"));
        for (String directory : Design.mountedDirectories(service)) {
            image.addVolume(AbsoluteUnixPath.get(directory));
        }
        return image.containerize(Containerizer.to(TarImage.at(tarball).named(reference))
                .setBaseImageLayersCache(jibCache.resolve("base"))
                .setApplicationLayersCache(jibCache.resolve("application"))
                .setToolName("spalce-images"));
    }

    /** The unpacked tree's top-level directories one by one: Jib cannot write an entry for "/" itself. */
    private static FileEntriesLayer debianLayer(Base base) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("debian packages");
        try (Stream<Path> topLevel = Files.list(base.debianRoot())) {
            for (Path directory : topLevel.sorted().toList()) {
                layer.addEntryRecursive(directory, AbsoluteUnixPath.get("/" + directory.getFileName()), AS_UNPACKED);
            }
        }
        return layer.build();
    }

    /** The service's user (no login shell, no home) and the directories its volumes are mounted on. */
    private static FileEntriesLayer systemLayer(String service, Path work) throws IOException {
        Path etc = Files.createDirectories(work.resolve(service + "-system/etc"));
        Files.writeString(
                etc.resolve("passwd"),
                "root:x:0:0:root:/root:/usr/sbin/nologin\n"
                        + "spalce:x:%1$d:%1$d:spalce:/nonexistent:/usr/sbin/nologin\n".formatted(Design.SERVICE_UID));
        Files.writeString(etc.resolve("group"), "root:x:0:\nspalce:x:%1$d:\n".formatted(Design.SERVICE_UID));
        Path emptyDirectory = Files.createDirectories(work.resolve(service + "-system/empty"));
        String owner = Design.SERVICE_UID + ":" + Design.SERVICE_UID;
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder()
                .setName("users and mount points")
                .addEntry(etc.resolve("passwd"), AbsoluteUnixPath.get("/etc/passwd"))
                .addEntry(etc.resolve("group"), AbsoluteUnixPath.get("/etc/group"))
                .addEntry(emptyDirectory, AbsoluteUnixPath.get("/tmp"), TMP_DIRECTORY);
        for (String directory : Design.mountedDirectories(service)) {
            FilePermissions permissions = directory.equals(Design.DB_CA_DIR) ? OPEN_DIRECTORY : PRIVATE_DIRECTORY;
            layer.addEntry(
                    emptyDirectory,
                    AbsoluteUnixPath.get(directory),
                    permissions,
                    FileEntriesLayer.DEFAULT_MODIFICATION_TIME,
                    owner);
        }
        return layer.build();
    }

    private static FileEntriesLayer applicationLayer(String name, Path source, String target) throws IOException {
        if (!Files.exists(source)) {
            throw new ImageBuildException(source + " is missing: package the service first (./mvnw package)");
        }
        return FileEntriesLayer.builder()
                .setName(name)
                .addEntryRecursive(source, AbsoluteUnixPath.get(APPLICATION_HOME + "/" + target))
                .build();
    }

    private static Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JAVA_HOME", RUNTIME_HOME);
        environment.put("PATH", RUNTIME_HOME + "/bin:/usr/bin:/bin");
        environment.put("LANG", "C.UTF-8");
        if (!service.equals(Design.GATEWAY)) {
            // Inside a container every internal service listens on 8080 (the gateway's port comes from its TLS
            // settings).
            environment.put("QUARKUS_HTTP_PORT", String.valueOf(Design.API_PORT.get(service)));
        }
        return environment;
    }

    private static Map<String, String> labels(String service, String tag, Base base) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", service);
        labels.put("org.opencontainers.image.version", tag);
        labels.put("org.opencontainers.image.vendor", "Spalce");
        labels.put("dev.spalce.java.version", base.javaVersion().toString());
        labels.put(
                "dev.spalce.debian.packages",
                base.packages().stream().map(p -> p.name() + "=" + p.version()).collect(Collectors.joining(" ")));
        return labels;
    }
}
