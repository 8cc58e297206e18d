package dev.spalce.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The headline figures of every benchmark in one JSON object, {@code benchmarks/results.json}, so that a script can
 * compare runs: each key ({@code gateway.throughputRatio}, {@code envelope.vsEsdk}, ...) holds its value, the date,
 * the JDK, the one-minute load average as the benchmark began and ended, the script that measured it, and the
 * figures of the same run it was computed from. Each benchmark merges only its own keys; a key it did not measure,
 * or measured with too much noise to call a result, keeps whatever an earlier run wrote, dated, or stays absent.
 *
 * <p>The JMH run and {@code EvidenceBenchmark} call {@link #merge} directly; the shell benchmarks call {@link #main}
 * through the benchmark jar:
 * <pre>
 * java -cp benchmarks.jar dev.spalce.benchmarks.ResultsJson FILE --source S --jdk J --load-start L --load-end L \
 *     gateway.throughputRatio=0.58 gateway.throughputRatio@directRequestsPerSecond=1754 ...
 * </pre>
 * where {@code key=value} is a figure and {@code key@name=value} one of the figures it came from.
 */
public final class ResultsJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What every figure of one benchmark run shares. */
    public record Run(String source, String jdk, double loadAtStart, double loadAtEnd) {}

    /** One headline figure and the figures of the same run it was computed from (name to number or text). */
    public record Figure(String key, double value, Map<String, Object> from) {}

    private ResultsJson() {}

    /** Writes {@code figures} into {@code file} (created if absent), keeping every other key as it was. */
    public static void merge(Path file, Run run, List<Figure> figures) throws IOException {
        Map<String, JsonNode> all = new TreeMap<>();
        if (Files.exists(file)) {
            JSON.readTree(file.toFile()).properties().forEach(entry -> all.put(entry.getKey(), entry.getValue()));
        }
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (Figure figure : figures) {
            ObjectNode entry = JSON.createObjectNode();
            entry.put("value", figure.value());
            entry.put("date", date);
            entry.put("jdk", run.jdk());
            ObjectNode load = entry.putObject("loadAverage");
            putLoad(load, "start", run.loadAtStart());
            putLoad(load, "end", run.loadAtEnd());
            entry.put("source", run.source());
            entry.set("from", JSON.valueToTree(figure.from()));
            all.put(figure.key(), entry);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, JSON.writeValueAsString(all) + "\n");
    }

    /** The one-minute system load average, or -1 where the platform has none. */
    public static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** This JVM as the results name it: its name and version. */
    public static String thisJdk() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version");
    }

    private static void putLoad(ObjectNode load, String name, double value) {
        if (value < 0) {
            load.putNull(name);
        } else {
            load.put(name, Math.round(value * 100) / 100.0);
        }
    }

    /** The shell benchmarks' way in; see the class description for the arguments. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ResultsJson FILE [--source S] [--jdk J] [--load-start L] "
                    + "[--load-end L] key=value key@name=value ...");
        }
        Path file = Path.of(args[0]);
        String source = "unknown";
        String jdk = thisJdk();
        double loadAtStart = -1;
        double loadAtEnd = -1;
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, Map<String, Object>> from = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--source" -> source = args[++i];
                case "--jdk" -> jdk = args[++i];
                case "--load-start" -> loadAtStart = Double.parseDouble(args[++i]);
                case "--load-end" -> loadAtEnd = Double.parseDouble(args[++i]);
                default -> {
                    int equals = arg.indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException("not key=value: " + arg);
                    }
                    String name = arg.substring(0, equals);
                    String value = arg.substring(equals + 1);
                    int at = name.indexOf('@');
                    if (at < 0) {
                        values.put(name, Double.parseDouble(value));
                    } else {
                        from.computeIfAbsent(name.substring(0, at), key -> new LinkedHashMap<>())
                                .put(name.substring(at + 1), numberOrText(value));
                    }
                }
            }
        }
        List<Figure> figures = new ArrayList<>();
        values.forEach((key, value) -> figures.add(new Figure(key, value, from.getOrDefault(key, Map.of()))));
        merge(file, new Run(source, jdk, loadAtStart, loadAtEnd), figures);
        figures.forEach(
                figure -> System.out.println(file.getFileName() + ": " + figure.key() + " = " + figure.value()));
    }

    private static Object numberOrText(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException notANumber) {
            return value;
        }
    }
}
