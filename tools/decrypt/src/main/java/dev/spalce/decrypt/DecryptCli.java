package dev.spalce.decrypt;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code java -jar spalce-decrypt-*-cli.jar --archive export.zip --public-key KEY --out DIR [--keystore FILE]
 * [--aws-region R] [--aws-endpoint URL]}: checks a workspace export against its signed manifest, then decrypts it
 * with the customer's own keys (docs/export.md). The local keystore's passphrase comes from the environment
 * ({@code SPALCE_DECRYPT_KEYSTORE_PASSPHRASE}), AWS credentials from the AWS SDK's default chain; neither is ever a
 * command-line argument, which other users of the machine can read.
 *
 * <p>Exit status: 0 decrypted; 1 refused (signature, manifest, a digest, a record or object that does not decrypt);
 * 2 wrong usage; 3 the archive or output could not be read or written.
 */
public final class DecryptCli {

    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int IO_ERROR = 3;

    private static final String USAGE_TEXT = """
            usage: spalce-decrypt --archive EXPORT.zip --public-key BASE64|FILE --out DIR
                                  [--keystore FILE] [--aws-region REGION] [--aws-endpoint URL]
              --public-key  the export signing key (GET /api/v1/workspaces/{ws}/exports/signing-key): base64 of
                            its X.509 DER, or a file holding that
              --keystore    the local provider's PKCS#12 keystore; its passphrase in SPALCE_DECRYPT_KEYSTORE_PASSPHRASE
              --aws-region  the Region of the AWS KMS keys (default: each key ARN's)
              --aws-endpoint  a VPC or FIPS endpoint of AWS KMS; credentials come from the AWS SDK's default chain
            """;

    private static final Set<String> OPTIONS =
            Set.of("--archive", "--public-key", "--out", "--keystore", "--aws-region", "--aws-endpoint");

    private DecryptCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the tool; returns its exit status. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!OPTIONS.contains(args[i]) || i + 1 == args.length || options.put(args[i], args[++i]) != null) {
                err.print(USAGE_TEXT);
                return USAGE;
            }
        }
        if (!options.keySet().containsAll(Set.of("--archive", "--public-key", "--out"))) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        Path archiveFile = Path.of(options.get("--archive"));
        Path outDir = Path.of(options.get("--out"));
        CustomerKeys.Settings settings = new CustomerKeys.Settings(
                Optional.ofNullable(options.get("--keystore")).map(Path::of),
                Optional.ofNullable(environment.get("SPALCE_DECRYPT_KEYSTORE_PASSPHRASE"))
                        .map(String::toCharArray),
                Optional.ofNullable(options.get("--aws-region")),
                Optional.ofNullable(options.get("--aws-endpoint")).map(URI::create));
        try (CustomerKeys keys = new CustomerKeys(settings)) {
            byte[] publicKey = publicKey(options.get("--public-key"));
            try (ExportArchive archive = ExportArchive.openVerified(archiveFile, publicKey)) {
                out.printf(
                        "VERIFIED export %s of workspace %s: %d entries match the signed manifest%n",
                        archive.manifest().path("exportId").asText(),
                        archive.workspaceId(),
                        archive.entryNames().size());
                Files.createDirectories(outDir);
                ExportDecryptor.Summary summary = new ExportDecryptor(keys).decrypt(archive, outDir);
                out.printf(
                        "DECRYPTED %d records (%d fields) and %d evidence files into %s%n",
                        summary.records(), summary.fields(), summary.objects(), outDir);
                return OK;
            }
        } catch (ArchiveRefusedException e) {
            err.println("REFUSED: " + e.getMessage());
            return REFUSED;
        } catch (IOException e) {
            err.println("ERROR: " + e.getMessage());
            return IO_ERROR;
        }
    }

    private static byte[] publicKey(String value) throws IOException {
        String text = value;
        Path file = Path.of(value);
        if (!value.isEmpty() && Files.isRegularFile(file)) {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        }
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new ArchiveRefusedException("--public-key is neither base64 nor a file holding base64");
        }
    }
}
