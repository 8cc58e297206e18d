package dev.spalce.keyproviders.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SoftHSM2 token for the pkcs11 tests, set up on first use: installs the Debian packages {@code softhsm2} and
 * {@code opensc} when they are missing (apt-get, as root), writes the SoftHSM2 configuration at
 * {@code $SOFTHSM2_CONF} (surefire points it into {@code target/softhsm}) with the token directory beside it, and
 * initialises a token labelled {@value #LABEL} unless one exists (so tokens persist between runs until
 * {@code mvn clean}). When any of that is impossible, {@link #get()} is empty and {@link #unavailableReason()}
 * says why, for an assumption failure.
 */
public final class SoftHsmToken {

    public static final String LABEL = "spalce-test";
    public static final String SO_PIN = "spalce-so-pin-0001";
    public static final String USER_PIN = "spalce-user-pin-0001";

    private static final Pattern SLOT_LINE = Pattern.compile("^Slot (\\d+)\\s*$");
    private static final Pattern LABEL_LINE = Pattern.compile("^\\s+Label:\\s+(.*?)\\s*$");
    private static final Pattern REASSIGNED = Pattern.compile("reassigned to slot (\\d+)");

    private static boolean attempted;
    private static SoftHsmToken token;
    private static String unavailableReason = "not set up yet";

    private final Path library;
    private final long slot;

    private SoftHsmToken(Path library, long slot) {
        this.library = library;
        this.slot = slot;
    }

    /** The token, set up once per JVM; empty if this machine cannot have one. */
    public static synchronized Optional<SoftHsmToken> get() {
        if (!attempted) {
            attempted = true;
            try {
                token = setUp();
            } catch (SetupImpossible e) {
                unavailableReason = e.getMessage();
            } catch (IOException e) {
                unavailableReason = "SoftHSM2 set-up failed: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailableReason = "interrupted while setting up SoftHSM2";
            }
        }
        return Optional.ofNullable(token);
    }

    public static synchronized String unavailableReason() {
        return unavailableReason;
    }

    /** The PKCS#11 module of SoftHSM2. */
    public Path library() {
        return library;
    }

    /** The slot id the token sits in. */
    public long slot() {
        return slot;
    }

    /** The user PIN. */
    public char[] pin() {
        return USER_PIN.toCharArray();
    }

    /** Runs OpenSC's pkcs11-tool against the token, logged in, and returns its output. */
    public String pkcs11Tool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "pkcs11-tool",
                "--module",
                library.toString(),
                "--slot",
                Long.toString(slot),
                "--login",
                "--pin",
                USER_PIN));
        command.addAll(List.of(arguments));
        return run(command, true).output();
    }

    private static SoftHsmToken setUp() throws IOException, InterruptedException {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null || conf.isBlank()) {
            throw new SetupImpossible(
                    "SOFTHSM2_CONF is not set: run the tests through Maven, whose surefire " + "configuration sets it");
        }
        if (!installed()) {
            install();
        }
        Path library = findLibrary()
                .orElseThrow(() -> new SetupImpossible("softhsm2 is installed but dpkg lists no libsofthsm2.so"));
        Path confFile = Path.of(conf).toAbsolutePath();
        Path tokens = confFile.resolveSibling("tokens");
        Files.createDirectories(tokens);
        Files.writeString(
                confFile,
                "directories.tokendir = " + tokens + "\n"
                        + "objectstore.backend = file\n"
                        + "log.level = ERROR\n"
                        + "slots.removable = false\n",
                StandardCharsets.UTF_8);
        Optional<Long> slot = findSlot();
        if (slot.isEmpty()) {
            Result init = run(
                    List.of(
                            "softhsm2-util",
                            "--init-token",
                            "--free",
                            "--label",
                            LABEL,
                            "--so-pin",
                            SO_PIN,
                            "--pin",
                            USER_PIN),
                    true);
            Matcher reassigned = REASSIGNED.matcher(init.output());
            slot = reassigned.find() ? Optional.of(Long.parseLong(reassigned.group(1))) : findSlot();
        }
        return new SoftHsmToken(
                library,
                slot.orElseThrow(() -> new IOException("softhsm2-util initialised a token but it does not show up")));
    }

    private static Optional<Long> findSlot() throws IOException, InterruptedException {
        Long current = null;
        for (String line :
                run(List.of("softhsm2-util", "--show-slots"), true).output().split("\n")) {
            Matcher slotLine = SLOT_LINE.matcher(line);
            if (slotLine.matches()) {
                current = Long.parseLong(slotLine.group(1));
                continue;
            }
            Matcher label = LABEL_LINE.matcher(line);
            if (label.matches() && LABEL.equals(label.group(1)) && current != null) {
                return Optional.of(current);
            }
        }
        return Optional.empty();
    }

    private static boolean installed() throws IOException, InterruptedException {
        return onPath("softhsm2-util") && onPath("pkcs11-tool") && findLibrary().isPresent();
    }

    private static void install() throws IOException, InterruptedException {
        if (!onPath("apt-get")) {
            throw new SetupImpossible("softhsm2/opensc are missing and this machine has no apt-get");
        }
        if (!"0".equals(run(List.of("id", "-u"), false).output().trim())) {
            throw new SetupImpossible("softhsm2/opensc are missing and only root may install them with apt-get");
        }
        List<String> install =
                List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "softhsm2", "opensc");
        if (run(install, false).exitCode() != 0) {
            run(List.of("apt-get", "update", "-q"), false);
            Result second = run(install, false);
            if (second.exitCode() != 0) {
                throw new SetupImpossible("apt-get could not install softhsm2 and opensc: " + tail(second.output()));
            }
        }
        if (!installed()) {
            throw new SetupImpossible("softhsm2/opensc still missing after apt-get install");
        }
    }

    private static Optional<Path> findLibrary() throws IOException, InterruptedException {
        Result listed = run(List.of("dpkg-query", "-L", "libsofthsm2"), false);
        if (listed.exitCode() != 0) {
            return Optional.empty();
        }
        return listed.output()
                .lines()
                .filter(line -> line.endsWith("/libsofthsm2.so"))
                .map(Path::of)
                .filter(Files::isRegularFile)
                .findFirst();
    }

    private static boolean onPath(String tool) throws IOException, InterruptedException {
        return run(List.of("sh", "-c", "command -v " + tool), false).exitCode() == 0;
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command, boolean mustSucceed) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish");
        }
        if (mustSucceed && process.exitValue() != 0) {
            throw new IOException(String.join(" ", command.subList(0, 2)) + " failed: " + tail(output));
        }
        return new Result(process.exitValue(), output);
    }

    private static String tail(String output) {
        return output.length() > 600 ? output.substring(output.length() - 600) : output;
    }

    private static final class SetupImpossible extends IOException {
        SetupImpossible(String message) {
            super(message);
        }
    }
}
