package dev.spalce.auditchain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Offline verifier for an audit log export:
 * {@code java -jar spalce-audit-chain-<version>-verifier.jar EXPORT.jsonl [--trusted-key BASE64]...
 * [--anchors FILE|FOLDER]... [--max-checkpoint-age DURATION]} ({@code -} reads standard input).
 * Exit status 0: verified; 1: broken, or no signed checkpoint covers any entry; 2: could not run.
 */
public final class VerifierCli {

    private VerifierCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String file = null;
        List<byte[]> trusted = new ArrayList<>();
        List<Checkpoint> anchors = new ArrayList<>();
        Duration maxAge = null;
        for (int i = 0; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length;
            if ("--trusted-key".equals(args[i]) && hasValue) {
                try {
                    trusted.add(Base64.getDecoder().decode(args[++i].strip()));
                } catch (IllegalArgumentException e) {
                    err.println("--trusted-key is not base64");
                    return 2;
                }
            } else if ("--anchors".equals(args[i]) && hasValue) {
                String problem = readAnchors(Path.of(args[++i]), anchors);
                if (problem != null) {
                    err.println(problem);
                    return 2;
                }
            } else if ("--max-checkpoint-age".equals(args[i]) && hasValue) {
                maxAge = duration(args[++i]);
                if (maxAge == null) {
                    err.println("--max-checkpoint-age is not a duration such as 30s, 15m, 2h, 1d or PT15M");
                    return 2;
                }
            } else if (file == null && !args[i].startsWith("--")) {
                file = args[i];
            } else {
                return usage(err);
            }
        }
        if (file == null) {
            return usage(err);
        }
        try (BufferedReader reader = "-".equals(file)
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            VerificationReport report = new ChainVerifier(trusted, anchors, maxAge, Clock.systemUTC()).verify(reader);
            out.println(report.summary());
            if (report.intact() && trusted.isEmpty() && report.checkpoints() > 0) {
                out.println("note: checkpoint signatures were checked against the keys named in the export;"
                        + " pass --trusted-key with the keys Spalce publishes to check who signed them");
            }
            if (report.intact() && anchors.isEmpty()) {
                out.println("note: no anchored checkpoints given (--anchors): entries removed from the end together"
                        + " with their checkpoints, or a rollback to a backup, cannot be told from a shorter log");
            }
            return report.verified() ? 0 : 1;
        } catch (IOException e) {
            err.println("cannot read " + file + ": " + e.getMessage());
            return 2;
        }
    }

    /** Every non-blank line of a file, or of every file under a folder, is one anchored checkpoint. */
    private static String readAnchors(Path path, List<Checkpoint> anchors) {
        try (Stream<Path> files = Files.isDirectory(path)
                ? Files.walk(path).filter(Files::isRegularFile).sorted()
                : Stream.of(path)) {
            for (Path anchorFile : files.toList()) {
                List<String> lines = Files.readAllLines(anchorFile, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).isBlank()) {
                        continue;
                    }
                    try {
                        anchors.add(AuditExport.parseAnchor(lines.get(i)));
                    } catch (AuditExport.ExportFormatException e) {
                        return "anchor " + anchorFile + " line " + (i + 1) + " is not a checkpoint: " + e.getMessage();
                    }
                }
            }
            return null;
        } catch (IOException e) {
            return "cannot read anchors " + path + ": " + e.getMessage();
        }
    }

    /** {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT15M}); null if neither. */
    static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> null;
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage: java -jar spalce-audit-chain-verifier.jar EXPORT.jsonl|- [--trusted-key BASE64]..."
                + " [--anchors FILE|FOLDER]... [--max-checkpoint-age DURATION]");
        return 2;
    }
}
