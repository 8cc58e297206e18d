package dev.spalce.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every Spalce benchmark with modest iterations (a few minutes on two cores) and writes the results as the
 * {@code ## crypto-service} section of the given Markdown file (docs/benchmarks.md), replacing that section and
 * leaving the rest of the file as it is. Usage: {@code java -jar benchmarks.jar <docs/benchmarks.md>}.
 */
public final class RunAndReport {

    static final String HEADING = "## crypto-service";

    private static final int WARMUP_ITERATIONS = 8;
    private static final int MEASUREMENT_ITERATIONS = 5;
    private static final TimeValue ITERATION_TIME = TimeValue.seconds(1);

    /** What one operation of each benchmark is, in the report's words. */
    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("spalceEnvelopeEncrypt", "Spalce envelope, encrypt: fresh DEK, wrapped by the `local` provider "
                + "in-process (AES-256-GCM under the CMK, wrap context as AAD), record encrypted (format 0x01), DEK erased");
        DESCRIPTIONS.put("spalceEnvelopeDecrypt", "Spalce envelope, decrypt: DEK unwrapped by the `local` provider, "
                + "record decrypted, DEK erased");
        DESCRIPTIONS.put("jcaAesGcmEncrypt", "raw JCA AES-256-GCM encrypt under one fixed key (no key per record)");
        DESCRIPTIONS.put("jcaAesGcmDecrypt", "raw JCA AES-256-GCM decrypt under one fixed key");
        DESCRIPTIONS.put("awsEsdkEncrypt", "AWS Encryption SDK 3.0.2, raw AES keyring, committing suite without "
                + "signature (`ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY`), encrypt");
        DESCRIPTIONS.put("awsEsdkDecrypt", "AWS Encryption SDK, same suite, decrypt");
        DESCRIPTIONS.put("awsEsdkSignedEncrypt", "AWS Encryption SDK, default suite (committing + ECDSA P-384 "
                + "signature), encrypt");
        DESCRIPTIONS.put("awsEsdkSignedDecrypt", "AWS Encryption SDK, default suite, decrypt (verifies the signature)");
        DESCRIPTIONS.put("streamEncrypt", "encrypt a whole file in memory (Tink AES-GCM-HKDF streaming, 1 MiB segments, "
                + "format 0x02)");
        DESCRIPTIONS.put("streamDecrypt", "decrypt a whole file in memory, authenticating every segment");
    }

    private RunAndReport() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        Path report = Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md");
        Options options = new OptionsBuilder()
                .include(EnvelopeBenchmark.class.getName())
                .include(StreamingBenchmark.class.getName())
                .warmupIterations(WARMUP_ITERATIONS).warmupTime(ITERATION_TIME)
                .measurementIterations(MEASUREMENT_ITERATIONS).measurementTime(ITERATION_TIME)
                .forks(1)
                .jvmArgs("-Xms1g", "-Xmx1g")
                .shouldFailOnError(true)
                .build();
        double loadBefore = loadAverage();
        Collection<RunResult> results = new Runner(options).run();
        double loadAfter = loadAverage();
        String section = section(new ArrayList<>(results), loadBefore, loadAfter);
        write(report, section);
        System.out.println();
        System.out.println(section);
        System.out.println("written to " + report.toAbsolutePath());
    }

    static String section(List<RunResult> results, double loadBefore, double loadAfter) {
        BenchmarkParams any = results.get(0).getParams();
        StringBuilder md = new StringBuilder();
        md.append(HEADING).append("\n\n");
        md.append("Envelope encryption as crypto-service and crypto-core do it, measured with JMH by `benchmarks/run.sh` ")
                .append("(sources in `benchmarks/`). Regenerate with `benchmarks/run.sh`; this section is replaced, ")
                .append("the rest of the file is kept.\n\n");
        md.append("- Run on ").append(LocalDate.now(ZoneOffset.UTC)).append(" with ").append(any.getVmName())
                .append(' ').append(any.getVmVersion()).append(" (JDK ").append(any.getJdkVersion()).append("), ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append("), heap 1 GiB. One-minute system load average: ").append(load(loadBefore))
                .append(" as the run began (it includes the build just before) and ").append(load(loadAfter))
                .append(" as it ended; the cores are shared with whatever else runs on the machine.\n");
        md.append("- JMH 1.37, 1 fork, warm-up ").append(WARMUP_ITERATIONS).append(" × 1 s, measurement ")
                .append(MEASUREMENT_ITERATIONS).append(" × 1 s, throughput in operations per second (higher is better); ")
                .append("± is JMH's 99.9 % confidence interval. Every fork first runs 20,000 small AES-GCM operations so that ")
                .append("HotSpot has compiled its AES-GCM intrinsics (see the streaming notes). Compare rows of one run, ")
                .append("not runs.\n\n");

        md.append("### Per record: 1 KiB, encrypt and decrypt\n\n");
        md.append("| benchmark | one operation | ops/s | ± |\n|---|---|---:|---:|\n");
        for (String name : List.of("spalceEnvelopeEncrypt", "spalceEnvelopeDecrypt", "jcaAesGcmEncrypt",
                "jcaAesGcmDecrypt", "awsEsdkEncrypt", "awsEsdkDecrypt", "awsEsdkSignedEncrypt", "awsEsdkSignedDecrypt")) {
            find(results, name, null).ifPresent(result -> md.append("| `").append(name).append("` | ")
                    .append(DESCRIPTIONS.get(name)).append(" | ").append(number(result.getPrimaryResult().getScore()))
                    .append(" | ").append(number(result.getPrimaryResult().getScoreError())).append(" |\n"));
        }
        md.append('\n');
        Optional<Double> encryptVsJca = ratio(results, "spalceEnvelopeEncrypt", "jcaAesGcmEncrypt");
        Optional<Double> decryptVsJca = ratio(results, "spalceEnvelopeDecrypt", "jcaAesGcmDecrypt");
        Optional<Double> encryptVsEsdk = ratio(results, "spalceEnvelopeEncrypt", "awsEsdkEncrypt");
        Optional<Double> decryptVsEsdk = ratio(results, "spalceEnvelopeDecrypt", "awsEsdkDecrypt");
        if (encryptVsJca.isPresent() && decryptVsJca.isPresent()) {
            md.append("- The Spalce envelope (a DEK minted and wrapped per record) runs at ")
                    .append(percent(encryptVsJca.get())).append(" of the raw AES-GCM loop's rate when encrypting and ")
                    .append(percent(decryptVsJca.get())).append(" when decrypting: the price of a key per record.\n");
        }
        if (encryptVsEsdk.isPresent() && decryptVsEsdk.isPresent()) {
            md.append("- Against the AWS Encryption SDK's unsigned committing suite it is ")
                    .append(times(encryptVsEsdk.get())).append(" as fast encrypting and ")
                    .append(times(decryptVsEsdk.get())).append(" as fast decrypting; the SDK's default, signed suite ")
                    .append("is slower still (an ECDSA P-384 signature per message). The SDK also writes a ")
                    .append("self-describing message with key commitment, which Spalce's format leaves out: Spalce ")
                    .append("stores the wrapped DEK and key id in columns, and each DEK encrypts one record only.\n");
        }
        md.append('\n');

        md.append("### Streaming a file\n\n");
        md.append("| benchmark | size | ops/s | ± | MiB/s |\n|---|---:|---:|---:|---:|\n");
        for (String name : List.of("streamEncrypt", "streamDecrypt")) {
            for (String size : List.of("1048576", "67108864")) {
                find(results, name, size).ifPresent(result -> {
                    double ops = result.getPrimaryResult().getScore();
                    double mibPerSecond = ops * Long.parseLong(size) / (1024.0 * 1024.0);
                    md.append("| `").append(name).append("` | ").append(Long.parseLong(size) / (1024 * 1024))
                            .append(" MiB | ").append(number(ops)).append(" | ")
                            .append(number(result.getPrimaryResult().getScoreError())).append(" | ")
                            .append(number(mibPerSecond)).append(" |\n");
                });
            }
        }
        md.append("\n`streamEncrypt`: ").append(DESCRIPTIONS.get("streamEncrypt")).append("; `streamDecrypt`: ")
                .append(DESCRIPTIONS.get("streamDecrypt")).append(". Memory stays bounded (about 2 MiB of buffers per ")
                .append("stream) whatever the size. Each streaming fork first runs 20,000 small AES-GCM operations and ")
                .append("500 small streams so that HotSpot compiles its AES-GCM intrinsics, as a server that has been ")
                .append("running has: a cold JVM streams several gigabytes in 1 MiB segments at 50 to 200 MiB/s before ")
                .append("it does.\n");
        return md.toString();
    }

    /** Replaces the crypto-service section of {@code report}, or appends it; creates the file if needed. */
    static void write(Path report, String section) throws IOException {
        String existing = Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8)
                : "# Benchmarks\n\nMeasured figures from real runs; each section says how it was produced.\n";
        int start = existing.indexOf(HEADING + "\n");
        String updated;
        if (start < 0) {
            updated = existing.stripTrailing() + "\n\n" + section;
        } else {
            int next = existing.indexOf("\n## ", start + HEADING.length());
            String after = next < 0 ? "" : existing.substring(next + 1);
            updated = existing.substring(0, start) + section + (after.isEmpty() ? "" : "\n" + after);
        }
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(report, updated, StandardCharsets.UTF_8);
    }

    /** The one-minute system load average, or -1 where the platform has none. */
    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String load(double value) {
        return value < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static Optional<RunResult> find(List<RunResult> results, String method, String size) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .filter(r -> size == null || size.equals(r.getParams().getParam("size")))
                .findFirst();
    }

    private static Optional<Double> ratio(List<RunResult> results, String numerator, String denominator) {
        Optional<RunResult> top = find(results, numerator, null);
        Optional<RunResult> bottom = find(results, denominator, null);
        if (top.isEmpty() || bottom.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(top.get().getPrimaryResult().getScore() / bottom.get().getPrimaryResult().getScore());
    }

    private static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%,.1f", value);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }

    private static String times(double ratio) {
        return String.format(Locale.ROOT, "%.1f times", ratio);
    }
}
