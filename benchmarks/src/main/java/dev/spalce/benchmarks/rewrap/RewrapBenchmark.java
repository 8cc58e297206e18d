package dev.spalce.benchmarks.rewrap;

import static dev.spalce.benchmarks.LocalSuite.env;
import static dev.spalce.benchmarks.LocalSuite.trustingOnly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * rewrap-worker against the running suite ({@code ./spalce up}), driven by {@code benchmarks/rewrap/run.sh},
 * which restarts rewrap-worker with the budget each step needs. Everything a user does goes through the gateway
 * over TLS, with a real token from the local OIDC server.
 *
 * <ul>
 *   <li>{@code seed RECORDS}: a workspace with a local key and RECORDS check results (scan runs of 500 results,
 *       recorded with the batch API); prints its id.</li>
 *   <li>{@code throughput WORKSPACE BATCH}: first the ceiling — every row of the workspace read by keyset and
 *       written back with the compare-and-set UPDATE the rewrap support API runs, BATCH rows per statement and
 *       transaction, no HTTP and no crypto; then the rotation, timed from the job's creation to its
 *       completion.</li>
 *   <li>{@code budget WORKSPACE BUDGET SECONDS}: live reads and writes for SECONDS without a rewrap, then a
 *       rotation and, once the job runs, SECONDS more of the same traffic while crypto-service's count of
 *       rewrapped keys is sampled: the rate achieved against BUDGET, and the latency of each phase. The job is
 *       cancelled afterwards.</li>
 * </ul>
 *
 * Reads SPALCE_GATEWAY_TLS_PORT, SPALCE_OIDC_PORT, SPALCE_MANAGEMENT_PORT_BASE, SPALCE_STATE_DIR and
 * SPALCE_DB_HOST/PORT/NAME/ADMIN_USER/ADMIN_PASSWORD like the local runtime. Prints {@code key=value} lines.
 */
public final class RewrapBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RUN_SIZE = 500;
    /** crypto-service's management port: the local runtime numbers them from the base, in its service order. */
    private static final int CRYPTO_MANAGEMENT_OFFSET = 2;

    private static final Pattern REWRAPS = Pattern.compile(
            "spalce_datakeys_items_total\\{[^}]*operation=\"rewrap\"[^}]*provider=\"local\"[^}]*} ([0-9.E+]+)");

    private final HttpClient http;
    private final HttpClient management;
    private final String gateway;
    private final String issuer;
    private final URI cryptoMetrics;
    private final String owner;
    private String token;
    private long tokenFetchedAt;

    private RewrapBenchmark(String owner) throws Exception {
        this.owner = owner;
        this.gateway = "https://127.0.0.1:" + env("SPALCE_GATEWAY_TLS_PORT", "8443") + "/api/v1";
        this.issuer = "http://127.0.0.1:" + env("SPALCE_OIDC_PORT", "18080") + "/spalce";
        int managementBase = Integer.parseInt(env("SPALCE_MANAGEMENT_PORT_BASE", "9180"));
        this.cryptoMetrics =
                URI.create("https://127.0.0.1:" + (managementBase + CRYPTO_MANAGEMENT_OFFSET) + "/q/metrics");
        Path state = Path.of(env("SPALCE_STATE_DIR", ".spalce"));
        this.http = HttpClient.newBuilder()
                .sslContext(trustingOnly(state.resolve("tls").resolve("gateway-cert.pem")))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        // The management port serves the service's internal certificate (TLS, no client certificate asked).
        this.management = HttpClient.newBuilder()
                .sslContext(trustingOnly(state.resolve("pki").resolve("ca.crt")))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException(
                    "usage: seed RECORDS | throughput WORKSPACE BATCH | " + "budget WORKSPACE BUDGET SECONDS");
        }
        RewrapBenchmark benchmark = new RewrapBenchmark("bench-rewrap-owner");
        switch (args[0]) {
            case "seed" -> benchmark.seed(Integer.parseInt(args[1]));
            case "throughput" -> benchmark.throughput(args[1], Integer.parseInt(args[2]));
            case "budget" -> benchmark.budget(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // seed

    private void seed(int records) throws Exception {
        String workspace = call("POST", "/workspaces", Map.of("name", "Rewrap benchmark"), 201)
                .get("id")
                .asText();
        call("POST", "/workspaces/" + workspace + "/keys", Map.of("provider", "local"), 201);
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            List<Future<JsonNode>> runs = new ArrayList<>();
            for (int run = 0; run * RUN_SIZE < records; run++) {
                int size = Math.min(RUN_SIZE, records - run * RUN_SIZE);
                String runId = "run-" + run;
                runs.add(clients.submit(() -> recordRun(workspace, runId, size)));
            }
            for (Future<JsonNode> run : runs) {
                run.get();
            }
        } finally {
            clients.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "workspace=%s%nseeded=%d%nseed_seconds=%.1f%nseed_per_second=%.0f%n",
                workspace, records, seconds, records / seconds);
    }

    private JsonNode recordRun(String workspace, String runId, int size) throws Exception {
        List<Map<String, Object>> results = IntStream.range(0, size)
                .<Map<String, Object>>mapToObj(i -> Map.of(
                        "controlId",
                        "CTRL-" + i,
                        "status",
                        i % 7 == 0 ? "fail" : "pass",
                        "details",
                        runId + " result " + i + ": host db-" + i + " answers on 5432"))
                .toList();
        return call(
                "POST",
                "/workspaces/" + workspace + "/check-results/batch",
                Map.of("runId", runId, "results", results),
                201);
    }

    // ---------------------------------------------------------------------------------------------------------
    // throughput

    private void throughput(String workspace, int batch) throws Exception {
        long rows = 0;
        long start = System.nanoTime();
        try (Connection db = database()) {
            db.setAutoCommit(false);
            try (PreparedStatement page = db.prepareStatement("SELECT id, wrapped_dek, kms_key_id "
                    + "FROM evidence.check_result WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?")) {
                UUID after = new UUID(0, 0); // the nil UUID: PostgreSQL orders UUIDs as unsigned bytes
                while (true) {
                    page.setString(1, workspace);
                    page.setObject(2, after);
                    page.setInt(3, batch);
                    List<Object[]> read = new ArrayList<>();
                    try (ResultSet result = page.executeQuery()) {
                        while (result.next()) {
                            read.add(new Object[] {result.getObject(1), result.getBytes(2), result.getString(3)});
                        }
                    }
                    if (read.isEmpty()) {
                        break;
                    }
                    after = (UUID) read.get(read.size() - 1)[0];
                    int changed = compareAndSetAsEvidenceServiceDoes(db, workspace, read);
                    if (changed != read.size()) {
                        throw new IllegalStateException(
                                "the ceiling's compare-and-set changed " + changed + " of " + read.size());
                    }
                    db.commit();
                    rows += read.size();
                }
            }
        }
        double ceilingSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "ceiling_rows=%d%nceiling_seconds=%.1f%nceiling_per_second=%.0f%n",
                rows, ceilingSeconds, rows / ceilingSeconds);

        String target = rotate(workspace);
        JsonNode job = awaitJob(
                workspace, target, view -> !"running".equals(view.get("state").asText()), Duration.ofHours(2));
        if (!"completed".equals(job.get("state").asText())) {
            throw new IllegalStateException("the rewrap job ended " + job);
        }
        double jobSeconds = Duration.between(
                                Instant.parse(job.get("createdAt").asText()),
                                Instant.parse(job.get("finishedAt").asText()))
                        .toMillis()
                / 1000.0;
        long done = job.get("done").asLong();
        System.out.printf(
                "rewrap_records=%d%nrewrap_seconds=%.1f%nrewrap_per_second=%.0f%nrewrap_skipped=%d%n"
                        + "rewrap_passes=%d%nrewrap_vs_ceiling=%.2f%n",
                done,
                jobSeconds,
                done / jobSeconds,
                job.get("skipped").asLong(),
                job.get("pass").asInt(),
                (done / jobSeconds) / (rows / ceilingSeconds));
    }

    /**
     * The statement evidence-service's compare-and-set runs for a batch of one record type: one UPDATE joined to
     * the batch's (id, expected, new, version) rows. Here every record gets its own wrapped key back: the writes
     * are real, only the crypto and HTTP around them are left out.
     */
    private static int compareAndSetAsEvidenceServiceDoes(Connection db, String workspace, List<Object[]> rows)
            throws Exception {
        String values = String.join(
                ", ",
                java.util.Collections.nCopies(
                        rows.size(), "(CAST(? AS uuid), CAST(? AS bytea), CAST(? AS bytea), CAST(? AS text))"));
        try (PreparedStatement update = db.prepareStatement("UPDATE evidence.check_result t"
                + " SET wrapped_dek = s.wrapped, kms_key_id = s.key FROM (VALUES " + values
                + ") AS s(id, expected, wrapped, key)"
                + " WHERE t.workspace_id = ? AND t.id = s.id AND t.wrapped_dek = s.expected")) {
            int parameter = 1;
            for (Object[] row : rows) {
                update.setObject(parameter++, row[0]);
                update.setBytes(parameter++, (byte[]) row[1]);
                update.setBytes(parameter++, (byte[]) row[1]);
                update.setString(parameter++, (String) row[2]);
            }
            update.setString(parameter, workspace);
            return update.executeUpdate();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // budget and live latency

    private void budget(String workspace, int budget, int seconds) throws Exception {
        Latencies quiet = liveTraffic(workspace, Duration.ofSeconds(seconds), null);
        String target = rotate(workspace);
        JsonNode job = awaitJob(workspace, target, view -> view.get("done").asLong() > 0, Duration.ofMinutes(5));
        // Let the job settle into its pace (a first batch may go at once) before the measured window.
        Thread.sleep(5_000);
        List<long[]> samples = new ArrayList<>();
        Latencies busy = liveTraffic(workspace, Duration.ofSeconds(seconds), samples);
        JsonNode during = awaitJob(workspace, target, view -> true, Duration.ofMinutes(1));
        call(
                "POST",
                "/workspaces/" + workspace + "/rewrap-jobs/" + job.get("id").asText() + "/cancel",
                Map.of(),
                200);

        long[] first = samples.get(0);
        long[] last = samples.get(samples.size() - 1);
        double windowSeconds = (last[0] - first[0]) / 1e9;
        double achieved = (last[1] - first[1]) / windowSeconds;
        System.out.printf(
                "budget_per_second=%d%nachieved_per_second=%.1f%nachieved_vs_budget=%.3f%n" + "job_state_during=%s%n",
                budget, achieved, achieved / budget, during.get("state").asText());
        quiet.print("without_rewrap");
        busy.print("with_rewrap");
    }

    /**
     * Users at work for {@code duration}: two readers fetch a random scan run's page of results (each decrypted),
     * one writer records a result every 100 ms. If {@code rewrapSamples} is given, crypto-service's count of
     * rewrapped keys is sampled into it every second, from the start to the end of the traffic.
     */
    private Latencies liveTraffic(String workspace, Duration duration, List<long[]> rewrapSamples) throws Exception {
        int runs = countRuns(workspace);
        Latencies latencies = new Latencies();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService users = Executors.newFixedThreadPool(3);
        try {
            for (int reader = 0; reader < 2; reader++) {
                users.submit(() -> {
                    while (running.get()) {
                        String run = "run-" + ThreadLocalRandom.current().nextInt(runs);
                        long start = System.nanoTime();
                        call("GET", "/workspaces/" + workspace + "/check-results?limit=100&run=" + run, null, 200);
                        latencies.read(System.nanoTime() - start);
                    }
                    return null;
                });
            }
            users.submit(() -> {
                int written = 0;
                while (running.get()) {
                    long start = System.nanoTime();
                    call(
                            "POST",
                            "/workspaces/" + workspace + "/check-results",
                            Map.of(
                                    "controlId",
                                    "LIVE-" + written,
                                    "status",
                                    "pass",
                                    "runId",
                                    "live",
                                    "details",
                                    "written during the benchmark"),
                            201);
                    latencies.write(System.nanoTime() - start);
                    written++;
                    Thread.sleep(100);
                }
                return null;
            });
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                if (rewrapSamples != null) {
                    rewrapSamples.add(new long[] {System.nanoTime(), rewrapsSoFar()});
                }
                Thread.sleep(1_000);
            }
            if (rewrapSamples != null) {
                rewrapSamples.add(new long[] {System.nanoTime(), rewrapsSoFar()});
            }
        } finally {
            running.set(false);
            users.shutdown();
            users.awaitTermination(30, TimeUnit.SECONDS);
        }
        return latencies;
    }

    private int countRuns(String workspace) throws Exception {
        try (Connection db = database();
                PreparedStatement query = db.prepareStatement(
                        "SELECT count(DISTINCT run_id) FROM evidence.check_result WHERE workspace_id = ? AND run_id LIKE 'run-%'")) {
            query.setString(1, workspace);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    /** Latencies of live reads and writes, in nanoseconds. */
    private static final class Latencies {

        private final List<Long> reads = new ArrayList<>();
        private final List<Long> writes = new ArrayList<>();

        synchronized void read(long nanos) {
            reads.add(nanos);
        }

        synchronized void write(long nanos) {
            writes.add(nanos);
        }

        synchronized void print(String phase) {
            print(phase + "_read", reads);
            print(phase + "_write", writes);
        }

        private static void print(String name, List<Long> values) {
            List<Long> sorted = values.stream().sorted().toList();
            System.out.printf(
                    "%s_count=%d%n%s_p50_ms=%.1f%n%s_p99_ms=%.1f%n",
                    name, sorted.size(), name, percentile(sorted, 0.50), name, percentile(sorted, 0.99));
        }

        private static double percentile(List<Long> sorted, double fraction) {
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(fraction * sorted.size()) - 1;
            return sorted.get(Math.max(0, index)) / 1e6;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the suite

    private String rotate(String workspace) throws Exception {
        return call("POST", "/workspaces/" + workspace + "/keys/rotations", Map.of(), 200)
                .get("currentKmsKeyId")
                .asText();
    }

    private JsonNode awaitJob(
            String workspace, String target, java.util.function.Predicate<JsonNode> until, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode job : call("GET", "/workspaces/" + workspace + "/rewrap-jobs", null, 200)
                    .get("items")) {
                if (job.get("targetKmsKeyId").asText().equals(target) && until.test(job)) {
                    return job;
                }
            }
            Thread.sleep(1_000);
        }
        throw new IllegalStateException("no rewrap job to " + target + " reached the expected state in " + timeout);
    }

    private long rewrapsSoFar() throws IOException, InterruptedException {
        String metrics = management
                .send(HttpRequest.newBuilder(cryptoMetrics).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher matcher = REWRAPS.matcher(metrics);
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
    }

    private JsonNode call(String method, String path, Object body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(
                    method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** The owner's token, fetched again when it is two minutes old (the local OIDC server's last five). */
    private synchronized String token() throws IOException, InterruptedException {
        if (token == null
                || System.nanoTime() - tokenFetchedAt > Duration.ofMinutes(2).toNanos()) {
            String form = Map.of(
                            "grant_type",
                            "password",
                            "username",
                            owner,
                            "password",
                            "x",
                            "client_id",
                            "spalce-bench",
                            "scope",
                            "openid")
                    .entrySet()
                    .stream()
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(issuer + "/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the OIDC server answered " + response.statusCode());
            }
            token = JSON.readTree(response.body()).get("access_token").asText();
            tokenFetchedAt = System.nanoTime();
        }
        return token;
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + env("SPALCE_DB_HOST", "127.0.0.1") + ":" + env("SPALCE_DB_PORT", "5432") + "/"
                        + env("SPALCE_DB_NAME", "spalce"),
                env("SPALCE_DB_ADMIN_USER", "postgres"),
                env("SPALCE_DB_ADMIN_PASSWORD", ""));
    }
}
