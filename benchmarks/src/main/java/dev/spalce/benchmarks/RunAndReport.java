package dev.spalce.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
 * Runs every Spalce benchmark with modest iterations (several minutes on two cores) and writes the results as the
 * {@code ## crypto-service} section of the given Markdown file (docs/benchmarks.md), replacing that section and
 * leaving the rest of the file as it is, and its headline ratios into benchmarks/results.json. Usage:
 * {@code java -jar benchmarks.jar [docs/benchmarks.md [benchmarks/results.json]]}. The environment variables
 * {@code JMH_WARMUP_ITERATIONS}, {@code JMH_MEASUREMENT_ITERATIONS} and {@code JMH_ITERATION_SECONDS} lengthen the
 * run on a noisy machine; {@code JMH_INCLUDE} (a regular expression of benchmark names, e.g.
 * {@code spalceEnvelope|jcaEnvelope|awsEsdk(En|De)crypt}) runs only some of them, and then only results.json is
 * written (the report's section needs every benchmark).
 *
 * <p>A score whose error (JMH's 99.9 % confidence interval) is more than {@value #MAX_RELATIVE_ERROR} of the score
 * itself is not a result: it is shown in the table, but no ratio is computed from it, and its keys are left out of
 * results.json.
 */
public final class RunAndReport {

    static final String HEADING = "## crypto-service";

    /** The most error a score may carry, as a fraction of the score, and still count (issue #17's rule). */
    static final double MAX_RELATIVE_ERROR = 0.10;

    private static final int WARMUP_ITERATIONS = setting("JMH_WARMUP_ITERATIONS", 8);
    private static final int MEASUREMENT_ITERATIONS = setting("JMH_MEASUREMENT_ITERATIONS", 10);
    private static final int ITERATION_SECONDS = setting("JMH_ITERATION_SECONDS", 1);

    /** What one operation of each benchmark is, in the report's words. */
    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put(
                "spalceEnvelopeEncrypt",
                "Spalce envelope, encrypt: fresh DEK, wrapped by the `local` provider "
                        + "in-process (AES-256-GCM under the CMK, wrap context as AAD), record encrypted (format 0x01), DEK erased");
        DESCRIPTIONS.put(
                "spalceEnvelopeDecrypt",
                "Spalce envelope, decrypt: DEK unwrapped by the `local` provider, " + "record decrypted, DEK erased");
        DESCRIPTIONS.put(
                "jcaEnvelopeEncrypt",
                "hand-rolled JCA envelope, encrypt: random 32-byte DEK from "
                        + "`SecureRandom`, wrapped with AES-256-GCM under a fixed key (associated data as long as the wrap "
                        + "context), record encrypted with AES-256-GCM under the DEK (associated data as long as Spalce's), "
                        + "DEK zeroed: the bound");
        DESCRIPTIONS.put(
                "jcaEnvelopeDecrypt",
                "hand-rolled JCA envelope, decrypt: DEK unwrapped, record decrypted, " + "DEK zeroed");
        DESCRIPTIONS.put("jcaAesGcmEncrypt", "raw JCA AES-256-GCM encrypt under one fixed key (no key per record)");
        DESCRIPTIONS.put("jcaAesGcmDecrypt", "raw JCA AES-256-GCM decrypt under one fixed key");
        DESCRIPTIONS.put(
                "awsEsdkEncrypt",
                "AWS Encryption SDK 3.0.2, raw AES keyring, committing suite without "
                        + "signature (`ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY`), encrypt");
        DESCRIPTIONS.put("awsEsdkDecrypt", "AWS Encryption SDK, same suite, decrypt");
        DESCRIPTIONS.put(
                "awsEsdkSignedEncrypt",
                "AWS Encryption SDK, default suite (committing + ECDSA P-384 " + "signature), encrypt");
        DESCRIPTIONS.put("awsEsdkSignedDecrypt", "AWS Encryption SDK, default suite, decrypt (verifies the signature)");
        DESCRIPTIONS.put(
                "streamEncrypt",
                "encrypt a whole file in memory (Tink AES-GCM-HKDF streaming, 1 MiB segments, " + "format 0x02)");
        DESCRIPTIONS.put("streamDecrypt", "decrypt a whole file in memory, authenticating every segment");
    }

    private RunAndReport() {}

    public static void main(String[] args) throws RunnerException, IOException {
        Path report = Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md");
        Path resultsJson = Path.of(args.length > 1 ? args[1] : "benchmarks/results.json");
        TimeValue iteration = TimeValue.seconds(ITERATION_SECONDS);
        String only = System.getenv("JMH_INCLUDE");
        OptionsBuilder builder = new OptionsBuilder();
        if (only == null || only.isBlank()) {
            builder.include(EnvelopeBenchmark.class.getName()).include(StreamingBenchmark.class.getName());
        } else {
            builder.include(EnvelopeBenchmark.class.getName() + ".(" + only + ")");
        }
        Options options = builder.warmupIterations(WARMUP_ITERATIONS)
                .warmupTime(iteration)
                .measurementIterations(MEASUREMENT_ITERATIONS)
                .measurementTime(iteration)
                .forks(1)
                .jvmArgs("-Xms1g", "-Xmx1g")
                .shouldFailOnError(true)
                .build();
        double loadBefore = ResultsJson.loadAverage();
        List<RunResult> results = new ArrayList<>(new Runner(options).run());
        double loadAfter = ResultsJson.loadAverage();
        String section = section(results, loadBefore, loadAfter);
        System.out.println();
        System.out.println(section);
        if (only == null || only.isBlank()) {
            write(report, section);
            System.out.println("written to " + report.toAbsolutePath());
        }
        BenchmarkParams any = results.get(0).getParams();
        ResultsJson.merge(
                resultsJson,
                new ResultsJson.Run(
                        "benchmarks/run.sh (JMH, " + MEASUREMENT_ITERATIONS + " × " + ITERATION_SECONDS + " s)",
                        any.getVmName() + " " + any.getVmVersion(),
                        loadBefore,
                        loadAfter),
                headlines(results));
        System.out.println("written to " + resultsJson.toAbsolutePath());
    }

    /**
     * The envelope's headline ratios, each only if both of its scores are results: encrypting for
     * {@code envelope.vsJcaEnvelope} and {@code envelope.vsEsdk}, decrypting under the same keys with {@code .decrypt}.
     */
    static List<ResultsJson.Figure> headlines(List<RunResult> results) {
        List<ResultsJson.Figure> figures = new ArrayList<>();
        headline(results, "envelope.vsJcaEnvelope", "spalceEnvelopeEncrypt", "jcaEnvelopeEncrypt", figures);
        headline(results, "envelope.vsJcaEnvelope.decrypt", "spalceEnvelopeDecrypt", "jcaEnvelopeDecrypt", figures);
        headline(results, "envelope.vsEsdk", "spalceEnvelopeEncrypt", "awsEsdkEncrypt", figures);
        headline(results, "envelope.vsEsdk.decrypt", "spalceEnvelopeDecrypt", "awsEsdkDecrypt", figures);
        return figures;
    }

    private static void headline(
            List<RunResult> results,
            String key,
            String numerator,
            String denominator,
            List<ResultsJson.Figure> figures) {
        Optional<Double> ratio = ratio(results, numerator, denominator);
        if (ratio.isEmpty()) {
            System.out.println(key + ": not a result (" + numerator + " or " + denominator
                    + " missing, or its error is more than " + percent(MAX_RELATIVE_ERROR) + " of its score)");
            return;
        }
        Map<String, Object> from = new LinkedHashMap<>();
        for (String name : List.of(numerator, denominator)) {
            RunResult result = find(results, name, null).orElseThrow();
            from.put(name + ".opsPerSecond", round(result.getPrimaryResult().getScore()));
            from.put(name + ".error", round(result.getPrimaryResult().getScoreError()));
        }
        figures.add(new ResultsJson.Figure(key, Math.round(ratio.get() * 1000) / 1000.0, from));
    }

    /** True if the score's error is at most {@link #MAX_RELATIVE_ERROR} of the score. */
    static boolean isResult(RunResult result) {
        double score = result.getPrimaryResult().getScore();
        double error = result.getPrimaryResult().getScoreError();
        return score > 0 && !Double.isNaN(error) && error <= MAX_RELATIVE_ERROR * score;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static int setting(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    static String section(List<RunResult> results, double loadBefore, double loadAfter) {
        BenchmarkParams any = results.get(0).getParams();
        StringBuilder md = new StringBuilder();
        md.append(HEADING).append("\n\n");
        md.append(
                        "Envelope encryption as crypto-service and crypto-core do it, measured with JMH by `benchmarks/run.sh` ")
                .append("(sources in `benchmarks/`). Regenerate with `benchmarks/run.sh`; this section is replaced, ")
                .append("the rest of the file is kept.\n\n");
        md.append("- Run on ")
                .append(LocalDate.now(ZoneOffset.UTC))
                .append(" with ")
                .append(any.getVmName())
                .append(' ')
                .append(any.getVmVersion())
                .append(" (JDK ")
                .append(any.getJdkVersion())
                .append("), ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores (")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.arch"))
                .append("), heap 1 GiB. One-minute system load average: ")
                .append(load(loadBefore))
                .append(" as the run began (it includes the build just before) and ")
                .append(load(loadAfter))
                .append(" as it ended; the cores are shared with whatever else runs on the machine.\n");
        md.append("- JMH 1.37, 1 fork, warm-up ")
                .append(WARMUP_ITERATIONS)
                .append(" × ")
                .append(ITERATION_SECONDS)
                .append(" s, measurement ")
                .append(MEASUREMENT_ITERATIONS)
                .append(" × ")
                .append(ITERATION_SECONDS)
                .append(" s, throughput in operations per second (higher is better); ")
                .append("± is JMH's 99.9 % confidence interval. A score whose ± is more than ")
                .append(percent(MAX_RELATIVE_ERROR))
                .append(" of it is marked *not a result*, and no ratio is drawn ")
                .append("from it. Every fork first runs 20,000 small AES-GCM operations so that ")
                .append(
                        "HotSpot has compiled its AES-GCM intrinsics (see the streaming notes). Compare rows of one run, ")
                .append("not runs.\n\n");

        md.append("### Per record: 1 KiB, encrypt and decrypt\n\n");
        md.append("| benchmark | one operation | ops/s | ± |\n|---|---|---:|---:|\n");
        for (String name : List.of(
                "spalceEnvelopeEncrypt",
                "spalceEnvelopeDecrypt",
                "jcaEnvelopeEncrypt",
                "jcaEnvelopeDecrypt",
                "jcaAesGcmEncrypt",
                "jcaAesGcmDecrypt",
                "awsEsdkEncrypt",
                "awsEsdkDecrypt",
                "awsEsdkSignedEncrypt",
                "awsEsdkSignedDecrypt")) {
            find(results, name, null)
                    .ifPresent(result -> md.append("| `")
                            .append(name)
                            .append("` | ")
                            .append(DESCRIPTIONS.get(name))
                            .append(" | ")
                            .append(number(result.getPrimaryResult().getScore()))
                            .append(isResult(result) ? "" : " (not a result)")
                            .append(" | ")
                            .append(number(result.getPrimaryResult().getScoreError()))
                            .append(" |\n"));
        }
        md.append('\n');
        md.append("- Spalce envelope ÷ hand-rolled JCA envelope (the same three steps with nothing around them): ")
                .append(ratioText(results, "spalceEnvelopeEncrypt", "jcaEnvelopeEncrypt"))
                .append(" encrypting, ")
                .append(ratioText(results, "spalceEnvelopeDecrypt", "jcaEnvelopeDecrypt"))
                .append(" decrypting (`envelope.vsJcaEnvelope`; goal: 0.9 or more). Spalce envelope ÷ one raw AES-GCM ")
                .append("operation under a fixed key: ")
                .append(ratioText(results, "spalceEnvelopeEncrypt", "jcaAesGcmEncrypt"))
                .append(" encrypting, ")
                .append(ratioText(results, "spalceEnvelopeDecrypt", "jcaAesGcmDecrypt"))
                .append(" decrypting, the price of a key per record.\n");
        md.append("- Spalce envelope ÷ the AWS Encryption SDK's unsigned committing suite, in the same run: ")
                .append(ratioText(results, "spalceEnvelopeEncrypt", "awsEsdkEncrypt"))
                .append(" encrypting, ")
                .append(ratioText(results, "spalceEnvelopeDecrypt", "awsEsdkDecrypt"))
                .append(" decrypting (`envelope.vsEsdk`); the SDK's default, signed suite ")
                .append("is slower still (an ECDSA P-384 signature per message). The SDK also writes a ")
                .append("self-describing message with key commitment, which Spalce's format leaves out: Spalce ")
                .append("stores the wrapped DEK and key id in columns, and each DEK encrypts one record only.\n");
        md.append('\n');

        md.append("### Streaming a file\n\n");
        md.append("| benchmark | size | ops/s | ± | MiB/s |\n|---|---:|---:|---:|---:|\n");
        for (String name : List.of("streamEncrypt", "streamDecrypt")) {
            for (String size : List.of("1048576", "67108864")) {
                find(results, name, size).ifPresent(result -> {
                    double ops = result.getPrimaryResult().getScore();
                    double mibPerSecond = ops * Long.parseLong(size) / (1024.0 * 1024.0);
                    md.append("| `")
                            .append(name)
                            .append("` | ")
                            .append(Long.parseLong(size) / (1024 * 1024))
                            .append(" MiB | ")
                            .append(number(ops))
                            .append(isResult(result) ? "" : " (not a result)")
                            .append(" | ")
                            .append(number(result.getPrimaryResult().getScoreError()))
                            .append(" | ")
                            .append(number(mibPerSecond))
                            .append(" |\n");
                });
            }
        }
        md.append("\n`streamEncrypt`: ")
                .append(DESCRIPTIONS.get("streamEncrypt"))
                .append("; `streamDecrypt`: ")
                .append(DESCRIPTIONS.get("streamDecrypt"))
                .append(". Memory stays bounded (about 2 MiB of buffers per ")
                .append(
                        "stream) whatever the size. Each streaming fork first runs 20,000 small AES-GCM operations and ")
                .append("500 small streams so that HotSpot compiles its AES-GCM intrinsics, as a server that has been ")
                .append(
                        "running has: a cold JVM streams several gigabytes in 1 MiB segments at 50 to 200 MiB/s before ")
                .append("it does.\n");
        return md.toString();
    }

    /** Replaces the crypto-service section of {@code report}, or appends it; creates the file if needed. */
    static void write(Path report, String section) throws IOException {
        String existing = Files.exists(report)
                ? Files.readString(report, StandardCharsets.UTF_8)
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

    private static String load(double value) {
        return value < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static Optional<RunResult> find(List<RunResult> results, String method, String size) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .filter(r -> size == null || size.equals(r.getParams().getParam("size")))
                .findFirst();
    }

    /** The ratio of two scores, if both were measured and both are results. */
    private static Optional<Double> ratio(List<RunResult> results, String numerator, String denominator) {
        Optional<RunResult> top = find(results, numerator, null);
        Optional<RunResult> bottom = find(results, denominator, null);
        if (top.isEmpty() || bottom.isEmpty() || !isResult(top.get()) || !isResult(bottom.get())) {
            return Optional.empty();
        }
        return Optional.of(top.get().getPrimaryResult().getScore()
                / bottom.get().getPrimaryResult().getScore());
    }

    private static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%,.1f", value);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }

    private static String ratioText(List<RunResult> results, String numerator, String denominator) {
        return ratio(results, numerator, denominator)
                .map(r -> String.format(Locale.ROOT, "%.2f", r))
                .orElse("*not a result*");
    }
}
