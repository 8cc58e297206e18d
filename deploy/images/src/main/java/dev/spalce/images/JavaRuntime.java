package dev.spalce.images;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * The Java runtime of the images: {@code jlink} of the JDK that runs the build, reduced to the modules the
 * services use. No compiler, no jshell, no debugging symbols, no header files.
 */
final class JavaRuntime {

    /**
     * The Java SE platform ({@code java.se}: what Quarkus and its libraries may load by name, such as java.rmi
     * for context propagation, which no scan of the class files finds), plus the JDK modules the services use:
     * jdk.zipfs (SmallRye Config reads the application's jars as file systems), jdk.unsupported (Netty),
     * jdk.net and jdk.naming.dns (socket options, DNS lookups of the Kafka brokers), jdk.management and jdk.jfr
     * (metrics, and a flight recording in production), and jdk.crypto.cryptoki, the SunPKCS11 provider of the
     * pkcs11 key provider. No compiler, no jshell, no debugger agent. ImagesIT starts every service from its
     * image: a missing module shows there as a class that cannot be loaded.
     */
    static final List<String> MODULES = List.of(
            "java.se",
            "jdk.crypto.cryptoki",
            "jdk.jfr",
            "jdk.management",
            "jdk.naming.dns",
            "jdk.net",
            "jdk.unsupported",
            "jdk.zipfs");

    private JavaRuntime() {}

    /** Links the runtime into {@code output} (which must not exist yet) and returns the Java version it runs. */
    static Runtime.Version link(Path output) {
        if (Runtime.version().feature() < 21) {
            throw new ImageBuildException("images are linked from the JDK that runs the build, and this one is "
                    + Runtime.version() + ": build them with JDK 21 or later (JAVA_HOME)");
        }
        ToolProvider jlink = ToolProvider.findFirst("jlink")
                .orElseThrow(() -> new ImageBuildException(
                        "this Java has no jlink: build the images with a full JDK, not a JRE (JAVA_HOME)"));
        if (Files.exists(output)) {
            throw new ImageBuildException(output + " exists: jlink writes only into a new directory");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            int exit = jlink.run(
                    out,
                    out,
                    "--add-modules",
                    String.join(",", MODULES),
                    "--strip-debug",
                    "--no-man-pages",
                    "--no-header-files",
                    "--compress=zip-6",
                    "--output",
                    output.toString());
            if (exit != 0) {
                throw new ImageBuildException(
                        "jlink failed with exit " + exit + ":\n" + log.toString(StandardCharsets.UTF_8));
            }
        }
        return Runtime.version();
    }
}
