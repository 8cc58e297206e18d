package dev.spalce.benchmarks;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Spalce envelope against the hand-rolled JCA envelope ({@link EnvelopeBenchmark}'s bound), measured in pairs:
 * many rounds, each timing one then the other for a short slice (the order alternating), and the ratio taken per
 * round. A shared machine whose speed drifts over seconds or minutes (other tenants of the host) slows both sides of
 * a round alike, so the ratio holds where JMH's separate runs, minutes apart, each carry the drift as error. The
 * median of the rounds' ratios is the figure; its 95 % interval comes from resampling the rounds (bootstrap), and a
 * figure whose interval is wider than 10 % of it is not a result.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.spalce.benchmarks.EnvelopePairedRun [RESULTS_JSON] [ROUNDS]
 * </pre>
 *
 * Writes {@code envelope.vsJcaEnvelope} and {@code envelope.vsJcaEnvelope.decrypt} into RESULTS_JSON (default
 * {@code benchmarks/results.json}) when they are results. Same operations as the JMH benchmarks, same setup.
 */
public final class EnvelopePairedRun {

    private static final long SLICE_NANOS = 200_000_000L;
    private static final int WARM_UP_ROUNDS = 25;
    private static final int BOOTSTRAP_SAMPLES = 2_000;

    private EnvelopePairedRun() {}

    /** One benchmark operation. */
    private interface Operation {
        void run() throws GeneralSecurityException;
    }

    /** The median ratio of the rounds, and its 95 % bootstrap interval. */
    record Ratio(double median, double low, double high, int rounds) {
        boolean isResult() {
            return (high - low) / 2 <= 0.1 * median;
        }
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results.json");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        EnvelopeBenchmark benchmark = new EnvelopeBenchmark();
        benchmark.setUp();
        Blackhole blackhole = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        try {
            double loadBefore = ResultsJson.loadAverage();
            Ratio encrypt = measure(
                    () -> benchmark.spalceEnvelopeEncrypt(blackhole),
                    () -> benchmark.jcaEnvelopeEncrypt(blackhole),
                    rounds);
            Ratio decrypt = measure(
                    () -> blackhole.consume(benchmark.spalceEnvelopeDecrypt()),
                    () -> blackhole.consume(benchmark.jcaEnvelopeDecrypt()),
                    rounds);
            double loadAfter = ResultsJson.loadAverage();
            report("encrypt", encrypt);
            report("decrypt", decrypt);
            List<ResultsJson.Figure> figures = new ArrayList<>();
            figure(figures, "envelope.vsJcaEnvelope", encrypt);
            figure(figures, "envelope.vsJcaEnvelope.decrypt", decrypt);
            ResultsJson.merge(
                    results,
                    new ResultsJson.Run(
                            "dev.spalce.benchmarks.EnvelopePairedRun (" + rounds + " paired rounds of 2 × "
                                    + SLICE_NANOS / 1_000_000 + " ms)",
                            ResultsJson.thisJdk(),
                            loadBefore,
                            loadAfter),
                    figures);
            System.out.println("written to " + results.toAbsolutePath());
        } finally {
            benchmark.tearDown();
        }
    }

    private static Ratio measure(Operation spalce, Operation bound, int rounds) throws GeneralSecurityException {
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            opsPerSecond(spalce);
            opsPerSecond(bound);
        }
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            // Alternate which goes first, so that neither always runs in the other's wake (GC, frequency steps).
            if (round % 2 == 0) {
                double first = opsPerSecond(spalce);
                ratios[round] = first / opsPerSecond(bound);
            } else {
                double first = opsPerSecond(bound);
                ratios[round] = opsPerSecond(spalce) / first;
            }
        }
        return summarise(ratios, new SplittableRandom(20261207L));
    }

    /** The median of {@code ratios} and the 2.5th and 97.5th percentiles of the medians of resampled rounds. */
    static Ratio summarise(double[] ratios, SplittableRandom random) {
        double[] medians = new double[BOOTSTRAP_SAMPLES];
        double[] sample = new double[ratios.length];
        for (int b = 0; b < BOOTSTRAP_SAMPLES; b++) {
            for (int i = 0; i < sample.length; i++) {
                sample[i] = ratios[random.nextInt(ratios.length)];
            }
            medians[b] = median(sample);
        }
        Arrays.sort(medians);
        return new Ratio(
                median(ratios.clone()),
                medians[(int) (BOOTSTRAP_SAMPLES * 0.025)],
                medians[(int) (BOOTSTRAP_SAMPLES * 0.975) - 1],
                ratios.length);
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** Operations per second over one slice, checking the clock every 64 operations. */
    private static double opsPerSecond(Operation operation) throws GeneralSecurityException {
        long start = System.nanoTime();
        long deadline = start + SLICE_NANOS;
        long operations = 0;
        long now;
        do {
            for (int i = 0; i < 64; i++) {
                operation.run();
            }
            operations += 64;
            now = System.nanoTime();
        } while (now < deadline);
        return operations * 1e9 / (now - start);
    }

    private static void report(String what, Ratio ratio) {
        System.out.printf(
                "Spalce envelope / hand-rolled JCA envelope, %s: %.3f (95 %% interval %.3f to %.3f, %d rounds)%s%n",
                what,
                ratio.median(),
                ratio.low(),
                ratio.high(),
                ratio.rounds(),
                ratio.isResult() ? "" : ": not a result (interval wider than 10 % of it)");
    }

    private static void figure(List<ResultsJson.Figure> figures, String key, Ratio ratio) {
        if (!ratio.isResult()) {
            return;
        }
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("intervalLow", round(ratio.low()));
        from.put("intervalHigh", round(ratio.high()));
        from.put("rounds", ratio.rounds());
        from.put("what", "median of per-round ratios, each round timing both envelopes for the same slice length");
        figures.add(new ResultsJson.Figure(key, round(ratio.median()), from));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
