package dev.spalce.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.testsupport.Infrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The fault suite (Maven profile {@code faults}; not part of the default build): a steady mixed load through the
 * gateway ({@link MixedLoad}) while one fault at a time hits the running suite: each service killed (SIGKILL) and
 * started again, the Kafka broker restarted, the object store stopped for 30 seconds, PostgreSQL restarted (the
 * runtime's private cluster only: {@code SPALCE_DB_PRIVATE=true}), the AWS KMS test server throttling and failing
 * for 30 seconds (for a workspace whose key is in it). After each fault every
 * acknowledged write reads back as written, the workspace's audit log holds exactly the events the load caused
 * (none lost, none twice), the rewrap job started before the fault completes, every service is ready again without
 * a hand on it, and clients saw no 500, only typed 503s with {@code Retry-After}. The table of results is printed
 * and written to {@code target/faults-report.md}; docs/faults.md keeps a recorded run.
 */
class FaultInjectionIT extends AgainstRunningSuite {

    /** Check results written before each fault: the rewrap job's material (50 keys a second: some 10 seconds). */
    private static final int SEED_BATCHES = 5;
    /** How long a killed service stays down before it is started again. */
    private static final Duration DOWN = Duration.ofSeconds(10);
    /** How long the object store stays down (the 30 seconds). */
    private static final Duration STORE_OUTAGE = Duration.ofSeconds(30);

    /** How long the AWS KMS test server throttles and fails (the 30 seconds). */
    private static final Duration KMS_OUTAGE = Duration.ofSeconds(30);

    private static final String KMS_FAULT = "AWS KMS throttles and fails " + KMS_OUTAGE.toSeconds() + " s";
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(2);
    private static final Path REPORT = Path.of("target", "faults-report.md");

    private final FreshToken owner = new FreshToken("fault-owner-" + UUID.randomUUID());
    private final FreshToken viewer = new FreshToken("fault-viewer-" + UUID.randomUUID());
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A fault: what it does to the suite; it returns once the fault has ended (the component is starting again). */
    private interface Fault {
        void inject() throws Exception;
    }

    private record Row(
            String fault,
            long requests,
            Map<String, Integer> answers,
            double servicesReadySeconds,
            double firstWriteSeconds,
            int lost,
            int duplicated,
            int unreadable,
            String rewrap,
            List<String> problems) {}

    @Test
    void underSteadyLoad_eachFault_losesNothing_duplicatesNothing_andAnswersOnlyTyped503s() throws Exception {
        Map<String, Fault> faults = new LinkedHashMap<>();
        for (String service : RunningSuite.SERVICES) {
            faults.put("kill -9 " + service, () -> {
                suite.kill(service);
                Thread.sleep(DOWN.toMillis());
            });
        }
        faults.put("Kafka broker restart", () -> {
            if (!Infrastructure.restartKafka()) {
                throw new IllegalStateException("the Kafka broker was not started by ./spalce infra up");
            }
        });
        faults.put("object store down " + STORE_OUTAGE.toSeconds() + " s", () -> {
            Infrastructure.stopComponent("s3");
            Thread.sleep(STORE_OUTAGE.toMillis());
            Infrastructure.startComponent("s3");
        });
        faults.put("PostgreSQL restart (pg_ctl restart -m fast)", () -> {
            if (!Infrastructure.restartPostgres()) {
                throw new IllegalStateException(
                        "PostgreSQL is not a private cluster of the runtime: run with SPALCE_DB_PRIVATE=true and a"
                                + " SPALCE_DB_PORT of its own (docs/faults.md); a shared PostgreSQL is never restarted");
            }
        });
        faults.put(KMS_FAULT, () -> {
            KmsTestServers.aws().failFor(KMS_OUTAGE);
            Thread.sleep(KMS_OUTAGE.toMillis());
        });

        // -Dspalce.faults=kafka,object to run only the faults whose names contain one of these words.
        List<String> only = List.of(System.getProperty("spalce.faults", "").split(",")).stream()
                .filter(word -> !word.isBlank())
                .toList();
        faults.keySet().removeIf(name -> !only.isEmpty() && only.stream().noneMatch(name::contains));

        List<Row> rows = new ArrayList<>();
        long started = System.nanoTime();
        for (Map.Entry<String, Fault> fault : faults.entrySet()) {
            rows.add(run(fault.getKey(), fault.getValue()));
            // The next fault starts from a suite that is whole again, whatever this one left.
            for (String service : RunningSuite.SERVICES) {
                ensureRunning(service);
            }
        }
        String report = report(rows, Duration.ofNanos(System.nanoTime() - started));
        System.out.println(report);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report);

        assertThat(rows)
                .as("faults with problems (see %s)", REPORT)
                .allSatisfy(row -> assertThat(row.problems()).as(row.fault()).isEmpty());
    }

    private Row run(String name, Fault fault) throws Exception {
        System.out.printf("[faults] %s: preparing%n", name);
        // The KMS fault needs the workspace's key in that KMS; the others use the local keystore.
        Map<String, String> key = name.equals(KMS_FAULT)
                ? Map.of(
                        "provider",
                        "aws-kms",
                        "keyReference",
                        KmsTestServers.aws().createKey())
                : Map.of("provider", "local");
        String api = workspaceWithKey(name, key);
        addViewer(api);
        MixedLoad load = new MixedLoad(URI.create(gateway("/")), api, owner, viewer);
        load.seed(SEED_BATCHES);
        load.resetCounts();
        load.start(3);
        Thread.sleep(3_000);
        String target = load.rotate();
        List<String> problems = new ArrayList<>();
        if (target == null) {
            problems.add("the key could not be rotated before the fault: " + load.counts());
        }
        Thread.sleep(1_000);

        System.out.printf("[faults] %s: injecting%n", name);
        fault.inject();
        long faultEnded = System.nanoTime();
        String killed = name.startsWith("kill -9 ") ? name.substring("kill -9 ".length()) : null;
        if (killed != null) {
            // The restart is the orchestrator's (a Kubernetes restart), not a hand: it is part of the fault.
            suite.relaunch(killed);
        }
        double servicesReady = secondsSince(faultEnded, awaitAllReady());
        long firstWrite = awaitFirstWrite(load, faultEnded);
        double firstWriteSeconds = firstWrite < 0 ? -1 : secondsSince(faultEnded, firstWrite);
        Thread.sleep(5_000);
        load.stop();
        long requests = load.requests();
        Map<String, Integer> answers = load.counts();
        System.out.printf("[faults] %s: load stopped after %d requests %s%n", name, requests, answers);

        String rewrap = awaitRewrap(load, target, problems);
        int unreadable = verifyAcknowledgedWrites(load);
        if (unreadable > 0) {
            problems.add(unreadable + " acknowledged writes unreadable");
        }
        int[] lostAndDuplicated = compareAuditLog(load, problems);
        if (!load.violations.isEmpty()) {
            problems.addAll(load.violations.stream().limit(20).toList());
        }
        if (servicesReady < 0) {
            problems.add("services not ready within " + RECOVERY_TIMEOUT);
        }
        if (firstWrite < 0) {
            problems.add("no write succeeded within " + RECOVERY_TIMEOUT + " of the fault's end");
        }
        Row row = new Row(
                name,
                requests,
                answers,
                servicesReady,
                firstWriteSeconds,
                lostAndDuplicated[0],
                lostAndDuplicated[1],
                unreadable,
                rewrap,
                problems);
        System.out.printf("[faults] %s: %s%n", name, row);
        return row;
    }

    private String workspaceWithKey(String name, Map<String, String> key) {
        String api = "/api/v1/workspaces/" + createWorkspace(owner.get(), "Fault: " + name);
        io.restassured.RestAssured.given()
                .auth()
                .oauth2(owner.get())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(key)
                .when()
                .post(gateway(api + "/keys"))
                .then()
                .statusCode(201);
        return api;
    }

    private void addViewer(String api) {
        io.restassured.RestAssured.given()
                .auth()
                .oauth2(owner.get())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("role", "VIEWER"))
                .when()
                .put(gateway(api + "/members/" + viewer.subject()))
                .then()
                .statusCode(200);
    }

    /** Waits until every service says it is ready; the time it did, or -1 after {@link #RECOVERY_TIMEOUT}. */
    private long awaitAllReady() throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (RunningSuite.SERVICES.stream().allMatch(this::ready)) {
                return System.nanoTime();
            }
            Thread.sleep(250);
        }
        return -1;
    }

    private boolean ready(String service) {
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            suite.managementUrl(service).resolve("/q/health/ready"))
                    .timeout(Duration.ofSeconds(3))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void ensureRunning(String service) throws IOException, InterruptedException {
        if (!ready(service)) {
            System.out.printf("[faults] %s is not ready after the fault: restarting it for the next one%n", service);
            suite.crashAndRestart(service);
        }
    }

    private static long awaitFirstWrite(MixedLoad load, long since) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            long first = load.firstWriteAfter(since);
            if (first > 0) {
                return first;
            }
            Thread.sleep(100);
        }
        return -1;
    }

    /** Waits for the rewrap job the rotation started to finish; its state and duration, problems noted. */
    private static String awaitRewrap(MixedLoad load, String target, List<String> problems)
            throws InterruptedException {
        if (target == null) {
            return "not started";
        }
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            job = load.newestRewrapJob();
            if (job != null && !"running".equals(job.path("state").asText())) {
                break;
            }
            Thread.sleep(500);
        }
        String state = job == null ? "unknown" : job.path("state").asText();
        if (!"completed".equals(state)) {
            problems.add("rewrap job " + state + ": " + job);
        } else {
            Map<String, Long> versions = keyVersions(load.workspace());
            if (!versions.keySet().equals(java.util.Set.of(target))) {
                problems.add("records on other key versions after the job completed: " + versions);
            }
        }
        return state;
    }

    /** Reads back every acknowledged write; how many did not read as written. */
    private static int verifyAcknowledgedWrites(MixedLoad load) {
        int unreadable = 0;
        for (String id : load.personnel.keySet()) {
            unreadable += load.readPerson(id) ? 0 : 1;
        }
        for (String id : load.checkResults.keySet()) {
            unreadable += load.readCheckResult(id) ? 0 : 1;
        }
        for (String id : load.evidence.keySet()) {
            unreadable += load.downloadEvidence(id) ? 0 : 1;
        }
        System.out.printf(
                "[faults] read back %d personnel records, %d check results, %d files: %d unreadable%n",
                load.personnel.size(), load.checkResults.size(), load.evidence.size(), unreadable);
        return unreadable;
    }

    /**
     * Compares the workspace's audit log with the load's accounting, by request id: each request that was answered
     * as it should be has exactly one entry of its action; a request without a known outcome has at most one; no
     * entry carries a request id the load did not send. Waits for the log to catch up (the audit pipeline is
     * asynchronous). Returns {lost, duplicated}.
     */
    private static int[] compareAuditLog(MixedLoad load, List<String> problems) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        Map<String, List<JsonNode>> byRequest;
        List<String> missing;
        do {
            byRequest = new HashMap<>();
            for (JsonNode entry : load.auditLog()) {
                String requestId = entry.path("requestId").asText("");
                if (requestId.startsWith(MixedLoad.REQUEST_ID_PREFIX) && isPerRequest(entry)) {
                    byRequest.computeIfAbsent(requestId, k -> new ArrayList<>()).add(entry);
                }
            }
            Map<String, List<JsonNode>> logged = byRequest;
            missing = load.mustAudit.entrySet().stream()
                    .filter(owed -> logged.getOrDefault(owed.getKey(), List.of()).stream()
                            .noneMatch(entry -> entry.path("action").asText().equals(owed.getValue())))
                    .map(owed -> owed.getValue() + " of " + owed.getKey())
                    .toList();
            if (missing.isEmpty()) {
                break;
            }
            Thread.sleep(1_000);
        } while (System.nanoTime() < deadline);
        // Late duplicates (a redelivery after the consumer's restart) would arrive after the originals.
        Thread.sleep(3_000);
        byRequest = new HashMap<>();
        java.util.Set<String> eventIds = new java.util.HashSet<>();
        int duplicated = 0;
        int entries = 0;
        for (JsonNode entry : load.auditLog()) {
            if (!eventIds.add(entry.path("eventId").asText())) {
                duplicated++;
                problems.add("event id twice in the log: " + entry);
            }
            String requestId = entry.path("requestId").asText("");
            if (requestId.startsWith(MixedLoad.REQUEST_ID_PREFIX) && isPerRequest(entry)) {
                byRequest.computeIfAbsent(requestId, k -> new ArrayList<>()).add(entry);
            }
            entries++;
        }
        for (Map.Entry<String, List<JsonNode>> logged : byRequest.entrySet()) {
            String action = load.mustAudit.getOrDefault(logged.getKey(), load.mayAudit.get(logged.getKey()));
            if (action == null) {
                problems.add("audit entries for a request the load did not count on: " + logged.getValue());
                continue;
            }
            long matching = logged.getValue().stream()
                    .filter(entry -> entry.path("action").asText().equals(action))
                    .count();
            if (matching > 1) {
                duplicated += (int) matching - 1;
                problems.add("audited " + matching + " times: " + action + " of " + logged.getKey());
            }
            if (matching != logged.getValue().size()) {
                problems.add("unexpected actions for " + logged.getKey() + " (" + action + "): " + logged.getValue());
            }
        }
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " audit events lost, e.g. "
                    + missing.stream().limit(5).toList());
        }
        System.out.printf(
                "[faults] audit log: %d entries, %d owed by the load, %d lost, %d duplicated%n",
                entries, load.mustAudit.size(), missing.size(), duplicated);
        return new int[] {missing.size(), duplicated};
    }

    /**
     * Whether an entry stands for one request. Reads of lists and metadata are audited in aggregate instead
     * ({@code resource.read}: one entry per actor, resource and window, carrying one of its requests' ids), so they
     * are not counted request by request.
     */
    private static boolean isPerRequest(JsonNode entry) {
        return !"resource.read".equals(entry.path("action").asText());
    }

    private static double secondsSince(long from, long to) {
        return to < 0 ? -1 : Math.max(0, (to - from) / 1e9);
    }

    private static String report(List<Row> rows, Duration took) {
        StringBuilder out = new StringBuilder();
        out.append("# Fault suite: ")
                .append(Instant.now())
                .append(", ")
                .append(took.toMinutes())
                .append(" min ")
                .append(took.toSecondsPart())
                .append(" s\n\n");
        out.append("| Fault | Requests | Answers by type | Services ready (s) | First write (s) | Lost |"
                + " Duplicated | Unreadable | Rewrap job | Problems |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append(String.format(
                    "| %s | %d | %s | %.1f | %.1f | %d | %d | %d | %s | %s |%n",
                    row.fault(),
                    row.requests(),
                    row.answers().toString().replace("|", "/"),
                    row.servicesReadySeconds(),
                    row.firstWriteSeconds(),
                    row.lost(),
                    row.duplicated(),
                    row.unreadable(),
                    row.rewrap(),
                    row.problems().isEmpty()
                            ? "none"
                            : String.join("; ", row.problems())
                                    .replace("|", "/")
                                    .replace("\n", " ")));
        }
        return out.toString();
    }
}
