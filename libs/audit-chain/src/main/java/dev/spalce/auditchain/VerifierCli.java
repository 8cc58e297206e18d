package dev.spalce.auditchain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Offline verifier for an audit log export:
 * {@code java -jar spalce-audit-chain-<version>-verifier.jar EXPORT.jsonl [--trusted-key BASE64]...}
 * ({@code -} reads standard input). Exit status 0: intact; 1: broken; 2: could not run.
 */
public final class VerifierCli {

    private VerifierCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String file = null;
        List<byte[]> trusted = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ("--trusted-key".equals(args[i]) && i + 1 < args.length) {
                try {
                    trusted.add(Base64.getDecoder().decode(args[++i].strip()));
                } catch (IllegalArgumentException e) {
                    err.println("--trusted-key is not base64");
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
            VerificationReport report = new ChainVerifier(trusted).verify(reader);
            out.println(report.summary());
            if (report.intact() && trusted.isEmpty() && report.checkpoints() > 0) {
                out.println("note: checkpoint signatures were checked against the keys named in the export;"
                        + " pass --trusted-key with the key Spalce published to check who signed them");
            }
            return report.intact() ? 0 : 1;
        } catch (IOException e) {
            err.println("cannot read " + file + ": " + e.getMessage());
            return 2;
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage: java -jar spalce-audit-chain-verifier.jar EXPORT.jsonl|- [--trusted-key BASE64]...");
        return 2;
    }
}
