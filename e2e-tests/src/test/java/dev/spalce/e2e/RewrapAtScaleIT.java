package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.ServiceProcess;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Rewrap at the scale the product promises: 100,000 check results of one workspace (and 10,000 of a second)
 * moved to a new key version by two rewrap-worker instances, paced by a KMS request budget, while users read and
 * write the same records. Afterwards every record decrypts to what was written and carries the new version; the
 * rate crypto-service saw stayed within the budget; each instance ran a job; and no batch was rewrapped twice.
 */
class RewrapAtScaleIT extends AgainstRunningSuite {

    private static final int RUNS = 1_000;
    private static final int SECOND_WORKSPACE_RUNS = 100;
    /** Results per scan run: a run is read back with one page (the listing's most). */
    private static final int PER_RUN = 100;
    /** KMS requests per second each job may cause: low enough to bind, high enough to finish in minutes. */
    private static final int BUDGET = 1_000;

    private static final int BATCH = 200;
    /** The window the rate crypto-service saw is measured over. */
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(15);
    private static final Pattern REWRAPS = Pattern.compile(
            "spalce_datakeys_items_total\\{[^}]*operation=\"rewrap\"[^}]*provider=\"local\"[^}]*} ([0-9.E+]+)");

    /** The owner's token, fetched again before it expires (the local OIDC server issues 5-minute tokens). */
    private final FreshToken owner = new FreshToken("owner-" + UUID.randomUUID());

    @Test
    void rotation_of100kRecords_underLiveTraffic_byTwoWorkers_staysInBudget_andEveryRecordDecryptsOnTheNewVersion()
            throws Exception {
        String main = newWorkspaceWithKey("Rewrap at scale");
        String second = newWorkspaceWithKey("Rewrap at scale, second");
        long seedStart = System.nanoTime();
        seed(main, RUNS);
        seed(second, SECOND_WORKSPACE_RUNS);
        System.out.printf(
                "[rewrap-at-scale] seeded %,d records through the gateway in %.1f s%n",
                (RUNS + SECOND_WORKSPACE_RUNS) * PER_RUN, (System.nanoTime() - seedStart) / 1e9);

        // One job per instance, so that each instance runs one of the two jobs.
        Map<String, String> pace = Map.of(
                "spalce.rewrap.runner.requests-per-second.local",
                Integer.toString(BUDGET),
                "spalce.rewrap.runner.batch-size",
                Integer.toString(BATCH),
                "spalce.rewrap.runner.max-concurrent-jobs",
                "1",
                "spalce.rewrap.runner.lease",
                "5s");
        suite.restart("rewrap-worker", pace);
        LiveTraffic traffic = new LiveTraffic(main);
        RewrapRateSampler rate = new RewrapRateSampler();
        try (ServiceProcess secondWorker = suite.startInstance("rewrap-worker", "rewrap-worker-2", pace)) {
            rate.start();
            traffic.start();
            long rewrapStart = System.nanoTime();
            String mainTarget = rotate(main);
            String secondTarget = rotate(second);
            Set<String> leaseHolders = new HashSet<>();
            Map<String, Map<String, Object>> finished = awaitFinished(List.of(main, second), leaseHolders);
            Map<String, Object> mainJob = finished.get(main);
            Map<String, Object> secondJob = finished.get(second);
            double seconds = (System.nanoTime() - rewrapStart) / 1e9;
            traffic.stop();
            rate.stop();
            System.out.printf(
                    "[rewrap-at-scale] both jobs completed in %.1f s; crypto-service rewrapped %,d keys,"
                            + " at most %.0f/s over any 10 s (budget %d/s per job); live traffic: %s%n",
                    seconds, rate.total(), rate.maxPerSecond(WINDOW), BUDGET, traffic);

            assertThat(mainJob.get("state")).as("job %s", mainJob).isEqualTo("completed");
            assertThat(secondJob.get("state")).as("job %s", secondJob).isEqualTo("completed");
            assertThat(traffic.failures).as("failures of live reads and writes").isEmpty();
            assertThat(traffic.reads.get()).isPositive();
            assertThat(traffic.writes.get()).isPositive();
            assertThat(traffic.deleted).isNotEmpty();

            // Every record is on the new version: the seeded ones less those deleted, plus those written meanwhile.
            long mainRecords = (long) RUNS * PER_RUN - traffic.deleted.size() + traffic.written.size();
            assertThat(keyVersions(main)).containsExactly(Map.entry(mainTarget, mainRecords));
            assertThat(keyVersions(second))
                    .containsExactly(Map.entry(secondTarget, (long) SECOND_WORKSPACE_RUNS * PER_RUN));
            assertThat(number(secondJob, "done")).isEqualTo((long) SECOND_WORKSPACE_RUNS * PER_RUN);
            assertThat(number(mainJob, "done"))
                    .isBetween((long) RUNS * PER_RUN - traffic.deleted.size(), (long) RUNS * PER_RUN);

            // No batch went to crypto-service twice: each key rewrapped was either written back (done) or found
            // changed by live traffic (skipped).
            long moved = number(mainJob, "done") + number(secondJob, "done");
            long skipped = number(mainJob, "skipped") + number(secondJob, "skipped");
            assertThat(rate.total()).isBetween(moved, moved + skipped);
            // The rate crypto-service saw, over any 10 s: two jobs at once, each within its budget. Each may send one
            // batch at once after a pause (the bucket's burst), and crypto-service counts a batch a little after the
            // worker sent it, which may move one more batch into a window: two batches per job on top.
            assertThat(rate.maxPerSecond(WINDOW)).isLessThanOrEqualTo(2 * (BUDGET + 2.0 * BATCH / WINDOW.toSeconds()));
            assertThat(leaseHolders).as("instances that held a job").hasSize(2);

            assertEveryRecordDecrypts(main, RUNS, traffic);
            assertEveryRecordDecrypts(second, SECOND_WORKSPACE_RUNS, null);
        } finally {
            traffic.stop();
            rate.stop();
            suite.restart("rewrap-worker", Map.of());
        }
    }

    private String newWorkspaceWithKey(String name) {
        String workspace = createWorkspace(owner.get(), name);
        given().auth()
                .oauth2(owner.get())
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "local"))
                .when()
                .post(gateway(api(workspace) + "/keys"))
                .then()
                .statusCode(201);
        return workspace;
    }

    /** {@code runs} scan runs of {@value #PER_RUN} results each, recorded through the gateway, three at a time. */
    private void seed(String workspace, int runs) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                String runId = "run-" + run;
                calls.add(clients.submit(() -> record(workspace, runId, PER_RUN)));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private List<Map<String, Object>> record(String workspace, String runId, int results) {
        List<Map<String, Object>> run = IntStream.range(0, results)
                .<Map<String, Object>>mapToObj(i -> Map.of(
                        "controlId",
                        control(i),
                        "status",
                        i % 7 == 0 ? "fail" : "pass",
                        "details",
                        details(workspace, runId, i)))
                .toList();
        return given().auth()
                .oauth2(owner.get())
                .contentType(ContentType.JSON)
                .body(Map.of("runId", runId, "results", run))
                .when()
                .post(gateway(api(workspace) + "/check-results/batch"))
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getList("items");
    }

    private static String control(int index) {
        return "CTRL-" + index;
    }

    /** What result {@code index} of a run says: unique, so that a record decrypted with another's key shows. */
    private static String details(String workspace, String runId, int index) {
        return "workspace " + workspace + ", " + runId + ", result " + index + ": host db-" + index + " is reachable";
    }

    private String rotate(String workspace) {
        return given().auth()
                .oauth2(owner.get())
                .when()
                .post(gateway(api(workspace) + "/keys/rotations"))
                .then()
                .statusCode(200)
                .extract()
                .path("currentKmsKeyId");
    }

    /** Waits until each workspace's job has finished, noting every instance seen holding one meanwhile. */
    private Map<String, Map<String, Object>> awaitFinished(List<String> workspaces, Set<String> leaseHolders) {
        Map<String, Map<String, Object>> finished = new HashMap<>();
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (String workspace : workspaces) {
                leaseHolders.addAll(leaseOwners(workspace));
                List<Map<String, Object>> jobs = given().auth()
                        .oauth2(owner.get())
                        .when()
                        .get(gateway(api(workspace) + "/rewrap-jobs"))
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items");
                if (!jobs.isEmpty() && !"running".equals(jobs.get(0).get("state"))) {
                    finished.put(workspace, jobs.get(0));
                }
            }
            return finished.size() == workspaces.size();
        });
        return finished;
    }

    private static Set<String> leaseOwners(String workspace) throws SQLException {
        Set<String> owners = new HashSet<>();
        try (Connection admin = Infrastructure.adminConnection();
                PreparedStatement query = admin.prepareStatement(
                        "SELECT lease_owner FROM rewrap.rewrap_job WHERE workspace_id = ? AND lease_owner IS NOT NULL")) {
            query.setString(1, workspace);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    owners.add(rows.getString(1));
                }
            }
        }
        return owners;
    }

    /** Every run read back through the gateway, a page of one run at a time, four at once; each result as written. */
    private void assertEveryRecordDecrypts(String workspace, int runs, LiveTraffic traffic) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> reads = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                String runId = "run-" + run;
                reads.add(readers.submit(() -> {
                    List<Map<String, Object>> items = readRun(workspace, runId);
                    for (Map<String, Object> item : items) {
                        int index = Integer.parseInt(((String) item.get("controlId")).substring("CTRL-".length()));
                        assertThat(item.get("details")).isEqualTo(details(workspace, runId, index));
                    }
                    return items.size();
                }));
            }
            long read = 0;
            for (Future<Integer> count : reads) {
                read += count.get();
            }
            long deleted = traffic == null ? 0 : traffic.deleted.size();
            assertThat(read).isEqualTo((long) runs * PER_RUN - deleted);
        } finally {
            readers.shutdownNow();
        }
        if (traffic != null) {
            traffic.written.forEach((id, details) -> assertThat(given().auth()
                            .oauth2(owner.get())
                            .when()
                            .get(gateway(api(workspace) + "/check-results/" + id))
                            .then()
                            .statusCode(200)
                            .extract()
                            .<String>path("details"))
                    .isEqualTo(details));
        }
    }

    private List<Map<String, Object>> readRun(String workspace, String runId) {
        return given().auth()
                .oauth2(owner.get())
                .queryParam("run", runId)
                .queryParam("limit", PER_RUN)
                .when()
                .get(gateway(api(workspace) + "/check-results"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    private static long number(Map<String, Object> view, String field) {
        return ((Number) view.get(field)).longValue();
    }

    private static String api(String workspace) {
        return "/api/v1/workspaces/" + workspace;
    }

    /**
     * Users at work while the rewrap runs: two readers page through random runs and check every result they get
     * decrypts to what was written; a writer records new results and deletes seeded ones. Any error is kept.
     */
    private final class LiveTraffic {

        private final String workspace;
        private final AtomicBoolean running = new AtomicBoolean();
        private final ExecutorService users = Executors.newFixedThreadPool(3);
        final List<String> failures = new ArrayList<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        final Map<String, String> written = new ConcurrentHashMap<>();
        final Set<String> deleted = ConcurrentHashMap.newKeySet();
        private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

        LiveTraffic(String workspace) {
            this.workspace = workspace;
        }

        void start() {
            running.set(true);
            for (int reader = 0; reader < 2; reader++) {
                users.submit(() -> loop(this::readRandomRun));
            }
            users.submit(() -> loop(this::writeAndDelete));
        }

        private void loop(Runnable action) {
            while (running.get()) {
                try {
                    action.run();
                } catch (AssertionError | RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e.toString());
                    }
                }
            }
        }

        private void readRandomRun() {
            String runId = "run-" + ThreadLocalRandom.current().nextInt(RUNS);
            for (Map<String, Object> item : readRun(workspace, runId)) {
                int index = Integer.parseInt(((String) item.get("controlId")).substring("CTRL-".length()));
                assertThat(item.get("details")).isEqualTo(details(workspace, runId, index));
                seen.add((String) item.get("id"));
            }
            reads.incrementAndGet();
            sleep(Duration.ofMillis(20));
        }

        private void writeAndDelete() {
            String runId = "live-" + writes.get();
            for (Map<String, Object> item : record(workspace, runId, 1)) {
                written.put((String) item.get("id"), (String) item.get("details"));
            }
            String victim = seen.poll();
            if (victim != null && deleted.add(victim)) {
                given().auth()
                        .oauth2(owner.get())
                        .when()
                        .delete(gateway(api(workspace) + "/check-results/" + victim))
                        .then()
                        .statusCode(204);
            }
            writes.incrementAndGet();
            sleep(Duration.ofMillis(100));
        }

        void stop() throws InterruptedException {
            running.set(false);
            users.shutdown();
            users.awaitTermination(30, TimeUnit.SECONDS);
        }

        @Override
        public String toString() {
            return reads.get() + " pages read, " + written.size() + " results written, " + deleted.size() + " deleted";
        }
    }

    /** crypto-service's count of keys rewrapped with the local provider, sampled every second. */
    private static final class RewrapRateSampler {

        private final List<long[]> samples = new ArrayList<>();
        private final java.util.concurrent.ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor();

        void start() {
            long first = read();
            synchronized (samples) {
                samples.add(new long[] {System.nanoTime(), first});
            }
            timer.scheduleAtFixedRate(
                    () -> {
                        long count = read();
                        synchronized (samples) {
                            samples.add(new long[] {System.nanoTime(), count});
                        }
                    },
                    1,
                    1,
                    TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            long last = read();
            synchronized (samples) {
                samples.add(new long[] {System.nanoTime(), last});
            }
        }

        /** Keys rewrapped between the first sample and the last. */
        long total() {
            synchronized (samples) {
                return samples.get(samples.size() - 1)[1] - samples.get(0)[1];
            }
        }

        /** The highest rate between two samples at least {@code window} apart (and as close to it as sampled). */
        double maxPerSecond(Duration window) {
            double max = 0;
            synchronized (samples) {
                for (int from = 0; from < samples.size(); from++) {
                    for (int to = from + 1; to < samples.size(); to++) {
                        double seconds = (samples.get(to)[0] - samples.get(from)[0]) / 1e9;
                        if (seconds >= window.toMillis() / 1000.0) {
                            max = Math.max(max, (samples.get(to)[1] - samples.get(from)[1]) / seconds);
                            break;
                        }
                    }
                }
            }
            return max;
        }

        private static long read() {
            String metrics = given().when()
                    .get(suite.managementUrl("crypto-service")
                            .resolve("/q/metrics")
                            .toString())
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            Matcher matcher = REWRAPS.matcher(metrics);
            return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
