package dev.spalce.images;

import com.google.cloud.tools.jib.api.JibContainer;
import dev.spalce.deploy.checks.Design;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes each service's OCI image as a tarball: {@code OUTPUT/SERVICE.tar}, loadable with {@code docker load},
 * {@code podman load} or {@code skopeo copy oci-archive:...}, and a line per image in {@code OUTPUT/images.txt}.
 *
 * <p>Usage: {@code BuildImages --repository ROOT --output DIR --tag TAG} (the images profile of the build
 * runs it after the services are packaged).
 */
public final class BuildImages {

    private BuildImages() {}

    public static void main(String[] args) throws Exception {
        Path repository = Path.of(option(args, "--repository")).toAbsolutePath();
        Path output = Path.of(option(args, "--output")).toAbsolutePath();
        String tag = option(args, "--tag");
        for (String service : Design.SERVICES) {
            Path launcher = quarkusApp(repository, service).resolve("quarkus-run.jar");
            if (!Files.isRegularFile(launcher)) {
                throw new ImageBuildException(launcher + " is missing: package the services first (./mvnw package)");
            }
        }
        Path work = output.resolve("work");
        long started = System.nanoTime();
        List<DebianPackages.Package> packages =
                DebianPackages.unpack(work.resolve("debs"), work.resolve("debian-root"));
        Path javaRuntime = work.resolve("java-runtime");
        DebianPackages.deleteTree(javaRuntime);
        Runtime.Version javaVersion = JavaRuntime.link(javaRuntime);
        ServiceImage.Base base = new ServiceImage.Base(work.resolve("debian-root"), packages, javaRuntime, javaVersion);
        System.out.printf(
                "[images] base: Debian %s, Java %s (%s), in %s%n",
                packages.stream().map(p -> p.name() + "=" + p.version()).toList(),
                javaVersion,
                String.join(",", JavaRuntime.MODULES),
                since(started));
        List<String> lines = new ArrayList<>();
        for (String service : Design.SERVICES) {
            long start = System.nanoTime();
            Path tarball = output.resolve(service + ".tar");
            JibContainer image = ServiceImage.build(
                    service, quarkusApp(repository, service), base, work, tag, tarball, work.resolve("jib-cache"));
            String line = "%s %s %s %d"
                    .formatted(image.getTargetImage(), image.getDigest(), image.getImageId(), Files.size(tarball));
            lines.add(line);
            System.out.printf("[images] %s (%d MiB) in %s%n", line, Files.size(tarball) >> 20, since(start));
        }
        Files.write(output.resolve("images.txt"), lines);
    }

    private static Path quarkusApp(Path repository, String service) {
        return repository.resolve(service).resolve("target/quarkus-app");
    }

    private static String option(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        throw new ImageBuildException(
                "missing " + name + " (usage: BuildImages --repository ROOT --output DIR --tag TAG)");
    }

    private static String since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis() + " ms";
    }
}
