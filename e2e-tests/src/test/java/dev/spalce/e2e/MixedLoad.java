package dev.spalce.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady mixed load on one workspace through the gateway, with its own accounting: uploads, personnel writes,
 * check results, reads of personnel records and a Viewer's refused writes, each request with a request id of its
 * own ({@code X-Request-Id}), which the audit event it causes carries. It keeps every acknowledged write (id and
 * the plaintext written), the audit action every request must cause (acknowledged) or may have caused (no answer,
 * or a 503 whose effect the client cannot know), and the kind of every answer.
 */
final class MixedLoad {

    /** The request ids of this load: audit entries carrying one are the load's. */
    static final String REQUEST_ID_PREFIX = "fault-";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final URI gateway;
    private final String api;
    private final FreshToken owner;
    private final FreshToken viewer;
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService users;

    /** Acknowledged writes: personnel id → full name, check result id → details, evidence id → SHA-256. */
    final Map<String, String> personnel = new ConcurrentHashMap<>();

    final Map<String, String> checkResults = new ConcurrentHashMap<>();
    final Map<String, String> evidence = new ConcurrentHashMap<>();
    /** Request id → the audit action it must have caused (the request was answered as it should be). */
    final Map<String, String> mustAudit = new ConcurrentHashMap<>();
    /** Request id → the audit action it may have caused (no answer, or a 503: its effect is unknown to the client). */
    final Map<String, String> mayAudit = new ConcurrentHashMap<>();
    /** Answers by kind ({@code 201}, {@code 503 typed}, {@code no answer}, ...), since the last {@link #resetCounts}. */
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    /** What must never happen: a 500, an untyped 503, a wrong plaintext. */
    final List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final AtomicLong requests = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> writeTimes = new ConcurrentLinkedQueue<>();

    MixedLoad(URI gateway, String api, FreshToken owner, FreshToken viewer) {
        this.gateway = gateway;
        this.api = api;
        this.owner = owner;
        this.viewer = viewer;
    }

    /** The workspace's id. */
    String workspace() {
        return api.substring(api.lastIndexOf('/') + 1);
    }

    /** Starts {@code threads} users, each running the five kinds of request in turn, a few per second. */
    void start(int threads) {
        running.set(true);
        users = Executors.newFixedThreadPool(threads);
        for (int user = 0; user < threads; user++) {
            int first = user;
            users.submit(() -> {
                int step = first;
                while (running.get()) {
                    try {
                        switch (step++ % 5) {
                            case 0 -> createPerson();
                            case 1 -> recordCheckResults(5);
                            case 2 -> upload();
                            case 3 -> readPerson();
                            default -> deniedWrite();
                        }
                    } catch (RuntimeException e) {
                        violations.add("load generator: " + e);
                    }
                    pause(Duration.ofMillis(100));
                }
            });
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        if (users != null) {
            users.shutdown();
            if (!users.awaitTermination(60, TimeUnit.SECONDS)) {
                users.shutdownNow();
            }
        }
    }

    /** Records {@code batches} runs of 100 check results, outside the timed load (the rewrap job's material). */
    void seed(int batches) {
        for (int i = 0; i < batches; i++) {
            if (recordCheckResults(100) == null) {
                throw new IllegalStateException("seeding failed: " + counts());
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // The requests
    // ----------------------------------------------------------------------------------------------------------

    private void createPerson() {
        String name = "Person " + UUID.randomUUID();
        Map<String, Object> body = Map.of(
                "fullName", name, "email", "p" + ThreadLocalRandom.current().nextInt(1_000_000) + "@example.com");
        Answer answer = send(owner, "POST", "/personnel", json(body), "application/json", "personnel.created", 201);
        if (answer.ok()) {
            personnel.put(answer.body().path("id").asText(), name);
        }
    }

    /** A run of {@code count} results; the ids written, or null when it was not acknowledged. */
    private List<String> recordCheckResults(int count) {
        String runId = "run-" + UUID.randomUUID();
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(Map.of(
                    "controlId", "CTRL-" + i, "status", i % 7 == 0 ? "fail" : "pass", "details", runId + "/" + i));
        }
        Answer answer = send(
                owner,
                "POST",
                "/check-results/batch",
                json(Map.of("runId", runId, "results", results)),
                "application/json",
                "scan.completed",
                201);
        if (!answer.ok()) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode item : answer.body().path("items")) {
            checkResults.put(item.path("id").asText(), item.path("details").asText());
            ids.add(item.path("id").asText());
        }
        return ids;
    }

    private void upload() {
        byte[] file = new byte[2048 + ThreadLocalRandom.current().nextInt(2048)];
        ThreadLocalRandom.current().nextBytes(file);
        Answer answer = send(
                owner, "POST", "/evidence?name=fault.bin", file, "application/octet-stream", "evidence.uploaded", 201);
        if (answer.ok()) {
            String sha256 = sha256(file);
            if (!sha256.equals(answer.body().path("sha256").asText())) {
                violations.add("upload acknowledged with another SHA-256: " + answer.body());
            }
            evidence.put(answer.body().path("id").asText(), sha256);
        }
    }

    private void readPerson() {
        List<String> ids = new ArrayList<>(personnel.keySet());
        if (ids.isEmpty()) {
            return;
        }
        readPerson(ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
    }

    /** Reads one acknowledged personnel record; false when it was not readable as written. */
    boolean readPerson(String id) {
        Answer answer = send(owner, "GET", "/personnel/" + id, null, null, "personnel.read", 200);
        if (answer.ok()
                && !personnel.get(id).equals(answer.body().path("fullName").asText())) {
            violations.add("personnel " + id + " decrypted to another name: " + answer.body());
            return false;
        }
        return answer.ok();
    }

    /** Reads one acknowledged check result; false when it was not readable as written. */
    boolean readCheckResult(String id) {
        Answer answer = send(owner, "GET", "/check-results/" + id, null, null, null, 200);
        if (answer.ok()
                && !checkResults.get(id).equals(answer.body().path("details").asText())) {
            violations.add("check result " + id + " decrypted to other details: " + answer.body());
            return false;
        }
        return answer.ok();
    }

    /** Downloads one acknowledged file through a signed URL; false when its bytes are not those uploaded. */
    boolean downloadEvidence(String id) {
        Answer url = send(owner, "GET", "/evidence/" + id + "/download-url", null, null, "evidence.downloaded", 200);
        if (!url.ok()) {
            return false;
        }
        String requestId = REQUEST_ID_PREFIX + UUID.randomUUID();
        try {
            HttpResponse<byte[]> content = http.send(
                    request(owner, "GET", api + "/" + url.body().path("path").asText(), null, null, requestId),
                    HttpResponse.BodyHandlers.ofByteArray());
            requests.incrementAndGet();
            count(Integer.toString(content.statusCode()));
            if (content.statusCode() != 200) {
                mayAudit.put(requestId, "evidence.content-fetched");
                return false;
            }
            mustAudit.put(requestId, "evidence.content-fetched");
            if (!evidence.get(id).equals(sha256(content.body()))) {
                violations.add("evidence " + id + " downloaded with other bytes");
                return false;
            }
            return true;
        } catch (IOException e) {
            mayAudit.put(requestId, "evidence.content-fetched");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void deniedWrite() {
        send(
                viewer,
                "POST",
                "/personnel",
                json(Map.of("fullName", "Not allowed", "email", "no@example.com")),
                "application/json",
                "access.denied",
                403);
    }

    /** The workspace's key rotated (a rewrap job starts): the new key version's id, or null when refused. */
    String rotate() {
        Answer answer = send(owner, "POST", "/keys/rotations", null, null, "cmk.rotated", 200);
        return answer.ok() ? answer.body().path("currentKmsKeyId").asText() : null;
    }

    /** The newest rewrap job of the workspace, or null when it cannot be read now. */
    JsonNode newestRewrapJob() {
        Answer answer = send(owner, "GET", "/rewrap-jobs", null, null, null, 200);
        if (!answer.ok() || answer.body().path("items").isEmpty()) {
            return null;
        }
        return answer.body().path("items").get(0);
    }

    /** Every entry of the workspace's audit log, oldest first (a page of 500 at a time). */
    List<JsonNode> auditLog() {
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/audit-events?limit=500" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<byte[]> response = call(owner, "GET", path, null, null, REQUEST_ID_PREFIX + "audit-read");
            if (response == null || response.statusCode() != 200) {
                throw new IllegalStateException(
                        "audit log unreadable: " + (response == null ? "no answer" : response.statusCode()));
            }
            JsonNode page = parse(response.body());
            page.path("items").forEach(entries::add);
            cursor = page.path("nextCursor").isNull()
                    ? null
                    : page.path("nextCursor").asText(null);
        } while (cursor != null);
        java.util.Collections.reverse(entries);
        return entries;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Accounting
    // ----------------------------------------------------------------------------------------------------------

    private record Answer(boolean ok, JsonNode body) {}

    /**
     * Sends one request with a fresh request id and notes how it was answered: {@code expected} acknowledges it
     * (and its audit action is then owed), a 503 must be typed problem+json with {@code Retry-After}, and no answer
     * (connection refused while the gateway is down, a timeout) leaves its effect unknown.
     */
    private Answer send(
            FreshToken user, String method, String path, byte[] body, String contentType, String audit, int expected) {
        String requestId = REQUEST_ID_PREFIX + UUID.randomUUID();
        HttpResponse<byte[]> response;
        try {
            response = http.send(
                    request(user, method, api + path, body, contentType, requestId),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return noAnswer("timeout", requestId, audit);
        } catch (ConnectException e) {
            return noAnswer("no answer (connection refused)", requestId, audit);
        } catch (IOException e) {
            return noAnswer("no answer (connection closed)", requestId, audit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(false, null);
        } finally {
            requests.incrementAndGet();
        }
        int status = response.statusCode();
        if (status == expected) {
            count(Integer.toString(status));
            if (audit != null) {
                mustAudit.put(requestId, audit);
            }
            if (status == 201) {
                // Recovery is measured by writes: a denial needs only the gateway, a read no object store.
                writeTimes.add(System.nanoTime());
            }
            return new Answer(true, parse(response.body()));
        }
        if (audit != null) {
            mayAudit.put(requestId, audit);
        }
        if (status == 503) {
            boolean typed =
                    response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                            && parse(response.body()).path("type").isTextual();
            boolean retryAfter = response.headers().firstValue("Retry-After").isPresent();
            if (typed && retryAfter) {
                count("503 typed, Retry-After (" + problemType(response.body()) + ")");
            } else {
                count("503 untyped or without Retry-After");
                violations.add(method + " " + path + ": 503 typed=" + typed + " Retry-After=" + retryAfter + ": "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } else {
            count(Integer.toString(status) + (status >= 400 ? " (" + problemType(response.body()) + ")" : ""));
            violations.add(method + " " + path + " [" + requestId + "]: " + status + " where " + expected
                    + " was expected: " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Answer(false, null);
    }

    private Answer noAnswer(String kind, String requestId, String audit) {
        count(kind);
        if (audit != null) {
            mayAudit.put(requestId, audit);
        }
        return new Answer(false, null);
    }

    private HttpResponse<byte[]> call(
            FreshToken user, String method, String path, byte[] body, String contentType, String requestId) {
        try {
            return http.send(
                    request(user, method, api + path, body, contentType, requestId),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private HttpRequest request(
            FreshToken user, String method, String path, byte[] body, String contentType, String requestId) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(gateway.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + user.get())
                .header("X-Request-Id", requestId)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return builder.build();
    }

    private void count(String kind) {
        answers.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Answers by kind since the last reset, sorted. */
    Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        answers.forEach((kind, count) -> counts.put(kind, count.get()));
        return counts;
    }

    /** Requests sent since the last reset. */
    long requests() {
        return requests.get();
    }

    void resetCounts() {
        answers.clear();
        requests.set(0);
    }

    /** The first acknowledged write after {@code since} (System.nanoTime), or -1 if none yet. */
    long firstWriteAfter(long since) {
        return writeTimes.stream()
                .filter(t -> t > since)
                .mapToLong(Long::longValue)
                .min()
                .orElse(-1);
    }

    private static String problemType(byte[] body) {
        String type = parse(body).path("type").asText("");
        return type.isEmpty() ? "no problem type" : type.substring(type.lastIndexOf('/') + 1);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
