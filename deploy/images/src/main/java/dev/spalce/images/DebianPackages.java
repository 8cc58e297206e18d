package dev.spalce.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The few Debian packages under the Java runtime, unpacked into a directory the way distroless images are
 * made: {@code apt-get download} and {@code dpkg-deb -x}, no package manager and no maintainer script in the
 * image. Each package's control file goes to {@code /var/lib/dpkg/status.d/}, where vulnerability scanners
 * (trivy, grype) look for the packages of a distroless image.
 */
final class DebianPackages {

    /** One package as it went into the image. */
    record Package(String name, String version, String sha256) {}

    /**
     * What the image needs beside the Java runtime: the C library and the GCC runtime it links against
     * (checked by ImagesIT), the release files scanners identify the distribution by, and a POSIX shell,
     * because ECS's files-init container writes Secrets Manager values into files with {@code /bin/sh -c}
     * (Fargate injects secrets only as environment variables). Nothing else: no coreutils, no package
     * manager, no HTTP client.
     */
    static final List<String> NAMES = List.of("base-files", "libc6", "libgcc-s1", "dash");

    /**
     * Dropped after unpacking: documentation, and glibc's iconv modules (8 MB), which Java never loads: it
     * converts character sets itself.
     */
    private static final List<String> PRUNED = List.of("usr/share", "usr/lib/x86_64-linux-gnu/gconv");

    private DebianPackages() {}

    /** Downloads {@link #NAMES} into {@code downloads} and unpacks them into {@code root}. */
    static List<Package> unpack(Path downloads, Path root) throws IOException, InterruptedException {
        deleteTree(downloads);
        deleteTree(root);
        Files.createDirectories(downloads);
        Files.createDirectories(root);
        List<String> download = new ArrayList<>(List.of("apt-get", "download", "-q"));
        download.addAll(NAMES);
        String output;
        try {
            output = run(downloads, download);
        } catch (ImageBuildException notFound) {
            // A fresh machine may have no package lists yet: as root, fetch them once and try again.
            if (!"root".equals(System.getProperty("user.name"))) {
                throw notFound;
            }
            run(downloads, List.of("apt-get", "update", "-qq"));
            output = run(downloads, download);
        }
        List<Package> packages = new ArrayList<>();
        for (String name : NAMES) {
            Path deb = debOf(downloads, name, output);
            String control = run(downloads, List.of("dpkg-deb", "--field", deb.toString()));
            packages.add(new Package(name, field(control, "Version", deb), sha256(deb)));
            run(downloads, List.of("dpkg-deb", "--extract", deb.toString(), root.toString()));
            Path status = root.resolve("var/lib/dpkg/status.d/" + name);
            Files.createDirectories(status.getParent());
            Files.writeString(status, control, StandardCharsets.UTF_8);
        }
        for (String pruned : PRUNED) {
            deleteTree(root.resolve(pruned));
        }
        materializeLinks(root);
        return List.copyOf(packages);
    }

    private static Path debOf(Path downloads, String name, String aptOutput) throws IOException {
        try (Stream<Path> files = Files.list(downloads)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().startsWith(name + "_"))
                    .filter(f -> f.getFileName().toString().endsWith(".deb"))
                    .toList();
            if (debs.size() != 1) {
                throw new ImageBuildException("expected one downloaded " + name + "_*.deb in " + downloads + ", found "
                        + debs + "; apt-get said:\n" + aptOutput);
            }
            return debs.get(0);
        }
    }

    private static String field(String control, String name, Path deb) {
        return control.lines()
                .filter(line -> line.startsWith(name + ": "))
                .map(line -> line.substring(name.length() + 2).strip())
                .findFirst()
                .orElseThrow(() -> new ImageBuildException(deb + " has no " + name + " field"));
    }

    /**
     * Jib writes regular files and directories, not links: a link would be stored as a copy of whatever it
     * points to on the build machine. So each link to a file is replaced by a copy of its target inside this
     * tree (an absolute target is read relative to the tree, as the image will see it), and a link to a
     * directory or to nothing (/var/run and the like) is dropped.
     */
    private static void materializeLinks(Path root) throws IOException {
        List<Path> links;
        try (Stream<Path> all = Files.walk(root)) {
            links = all.filter(Files::isSymbolicLink).toList();
        }
        for (Path link : links) {
            Path target = Files.readSymbolicLink(link);
            Path resolved = target.isAbsolute()
                    ? root.resolve(root.getRoot().relativize(target))
                    : link.getParent().resolve(target);
            Files.delete(link);
            if (Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(resolved, link, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    static void deleteTree(Path tree) throws IOException {
        if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String run(Path directory, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new ImageBuildException(String.join(" ", command) + " did not finish in 5 minutes");
        }
        if (process.exitValue() != 0) {
            String hint = command.get(0).equals("apt-get")
                    ? " (are the package lists there? `apt-get update` as root fetches them)"
                    : "";
            throw new ImageBuildException(
                    String.join(" ", command) + " failed with exit " + process.exitValue() + hint + ":\n" + output);
        }
        return output;
    }
}
