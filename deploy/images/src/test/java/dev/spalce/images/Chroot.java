package dev.spalce.images;

import dev.spalce.deploy.checks.Design;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a command inside an image's unpacked file system the way a container runtime with Kubernetes'
 * securityContext would: in a private mount namespace, the root file system read-only, a fresh /proc and
 * /tmp, each volume an empty tmpfs owned by the service's user, the user itself numeric and unprivileged,
 * the environment exactly the image's. No network namespace: nothing here listens or connects.
 */
final class Chroot {

    record Result(int exit, String output) {}

    private Chroot() {}

    /** Whether this machine lets the tests do it: root, with unshare and chroot. */
    static boolean available() {
        return "root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/bin/unshare"))
                && Files.isExecutable(Path.of("/usr/sbin/chroot"));
    }

    static Result run(Path root, List<String> volumes, Map<String, String> environment, List<String> command)
            throws IOException, InterruptedException {
        return run(root, volumes, Map.of(), environment, command);
    }

    /**
     * As {@link #run(Path, List, Map, List)}, with some volumes a read-only bind mount of a host directory
     * instead of an empty tmpfs (a Kubernetes Secret volume, say).
     */
    static Result run(
            Path root,
            List<String> volumes,
            Map<String, Path> mounted,
            Map<String, String> environment,
            List<String> command)
            throws IOException, InterruptedException {
        int user = Design.SERVICE_UID;
        List<String> script = new ArrayList<>(List.of(
                "set -e",
                "R=" + quote(root.toString()),
                "mount --bind \"$R\" \"$R\"",
                "mount -o remount,bind,ro \"$R\"",
                "mount -t proc proc \"$R/proc\"",
                "mount -t tmpfs -o mode=1777 tmpfs \"$R/tmp\""));
        for (String volume : volumes) {
            Path source = mounted.get(volume);
            if (source == null) {
                script.add("mount -t tmpfs -o uid=%d,gid=%d,mode=0700 tmpfs \"$R%s\"".formatted(user, user, volume));
            } else {
                script.add("mount --bind %s \"$R%s\"".formatted(quote(source.toString()), volume));
                script.add("mount -o remount,bind,ro \"$R%s\"".formatted(volume));
            }
        }
        script.add("cd /");
        script.add("exec /usr/bin/env -i "
                + environment.entrySet().stream()
                        .map(e -> quote(e.getKey() + "=" + e.getValue()))
                        .collect(Collectors.joining(" "))
                + " /usr/sbin/chroot --userspec=%d:%d \"$R\" ".formatted(user, user)
                + command.stream().map(Chroot::quote).collect(Collectors.joining(" ")));
        Path file = Files.createTempFile("chroot", ".sh");
        try {
            Files.writeString(file, String.join("\n", script) + "\n");
            Process process = new ProcessBuilder("/usr/bin/unshare", "--mount", "--fork", "/bin/sh", file.toString())
                    .redirectErrorStream(true)
                    .start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("did not finish in 2 minutes: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
