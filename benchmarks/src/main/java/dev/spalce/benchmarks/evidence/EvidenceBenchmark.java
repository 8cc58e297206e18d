package dev.spalce.benchmarks.evidence;

import static dev.spalce.benchmarks.LocalSuite.env;
import static dev.spalce.benchmarks.LocalSuite.presenting;
import static dev.spalce.benchmarks.LocalSuite.trustingOnly;

import dev.spalce.benchmarks.ResultsJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * What envelope encryption costs an evidence file and a personnel page, measured against the running local suite
 * ({@code ./spalce up}; see benchmarks/evidence/run.sh):
 * <ol>
 *   <li>throughput of an evidence upload and download (SHA-256 checked) through the gateway, and for the
 *       {@code --direct-sizes} straight to evidence-service too, against a plain unencrypted PUT and GET of the same bytes to the
 *       same object store, in the same run;</li>
 *   <li>latency of reading a page of 100 personnel records (100 envelopes decrypted per page) and of one record.</li>
 * </ol>
 * File content is pseudo-random, generated while it is sent and never held whole in memory, so 1 GiB needs no
 * more heap than 64 MiB. Reads the local runtime's settings (SPALCE_*_PORT, SPALCE_S3_*, SPALCE_STATE_DIR,
 * SPALCE_TLS_CERTIFICATE) with deploy/local/spalce.sh's defaults.
 * <p>
 * Calling evidence-service directly needs what the gateway adds to a request: an internal token naming user,
 * workspace and role, over mutual TLS. The local gateway signs those tokens with a key generated at start-up that
 * nothing else can use, so the direct path is measured only when the suite was started with a key pair made for
 * the benchmark ({@code benchmarks/evidence/run.sh up}) and its private key is passed with
 * {@code --internal-token-key FILE}, and with a client key pair of the local internal CA
 * ({@code --client-certificate FILE --client-key FILE}, issued for the run by run.sh; the CA is
 * SPALCE_STATE_DIR/pki/ca.crt unless {@code --internal-ca FILE} says otherwise).
 * <p>
 * {@code java -cp benchmarks.jar dev.spalce.benchmarks.evidence.EvidenceBenchmark [--sizes 64m,1g]
 * [--direct-sizes 64m] [--warmup 20] [--reads 200] [--repeat 3] [--internal-token-key FILE]
 * [--client-certificate FILE --client-key FILE] [--internal-ca FILE] [--service-options "JVM options"]
 * [--report docs/benchmarks.md] [--results benchmarks/results.json]}; the JVM options are only written into the
 * report. The headline figures (upload and download against a plain PUT and GET, the personnel page's p50 and p99,
 * all through the gateway at the largest size) go to the results file.
 */
public final class EvidenceBenchmark {

    private static final long MIB = 1024L * 1024;
    private static final int BUFFER = 64 * 1024;
    /** evidence-service's spalce.evidence.upload.part-bytes: the plain multipart upload uses the same parts. */
    private static final int PART_BYTES = 8 * 1024 * 1024;

    private static final int PERSONNEL = 100;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(30);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final Settings settings;
    private final HttpClient http;
    /** Mutual TLS to evidence-service, for the direct path; null when it is not measured. */
    private final HttpClient internal;

    private final InternalTokens internalTokens;
    private final String user = "bench-evidence-" + UUID.randomUUID().toString().substring(0, 8);

    private EvidenceBenchmark(Settings settings) throws Exception {
        this.settings = settings;
        // HTTP/1.1 on every path, as the S3 client and the gateway's own calls to evidence-service use it.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(trustingOnly(settings.certificate()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        boolean direct = settings.internalTokenKey() != null && settings.clientCertificate() != null;
        this.internalTokens = direct ? new InternalTokens(settings.internalTokenKey()) : null;
        this.internal = direct
                ? HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .sslContext(
                                presenting(settings.internalCa(), settings.clientCertificate(), settings.clientKey()))
                        .connectTimeout(Duration.ofSeconds(5))
                        .build()
                : null;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        EvidenceBenchmark benchmark = new EvidenceBenchmark(settings);
        Results results = benchmark.run();
        String section = Report.section(settings, results);
        System.out.println(section);
        if (settings.report() != null) {
            Report.write(settings.report(), Report.summary(results), section);
            System.out.println("written to " + settings.report());
        }
        if (settings.results() != null) {
            ResultsJson.merge(
                    settings.results(),
                    new ResultsJson.Run(
                            "benchmarks/evidence/run.sh",
                            ResultsJson.thisJdk(),
                            load(results.loadBefore()),
                            load(results.loadAfter())),
                    headlines(results));
            System.out.println("written to " + settings.results());
        }
    }

    /** The figures of the largest size through the gateway, and the personnel page through the gateway. */
    static List<ResultsJson.Figure> headlines(Results results) {
        Measured evidence = results.largestThroughGateway();
        Measured plain = results.plain(evidence.bytes());
        Measured multipart = results.transfers().stream()
                .filter(t -> t.bytes() == evidence.bytes() && t.path().startsWith("plain, multipart"))
                .findFirst()
                .orElseThrow();
        Map<String, Object> transfers = new LinkedHashMap<>();
        transfers.put("bytes", evidence.bytes());
        transfers.put("evidenceUploadMBps", round(evidence.uploadMBps()));
        transfers.put("plainPutMBps", round(plain.uploadMBps()));
        transfers.put("plainMultipartPutMBps", round(multipart.uploadMBps()));
        transfers.put("evidenceDownloadMBps", round(evidence.downloadMBps()));
        transfers.put("plainGetMBps", round(plain.downloadMBps()));
        Latency page = results.latencies().get(0);
        Map<String, Object> pageFrom = Map.of("what", page.what(), "samples", page.samples());
        return List.of(
                new ResultsJson.Figure(
                        "evidence.uploadRatio", ratio(evidence.uploadMBps(), plain.uploadMBps()), transfers),
                new ResultsJson.Figure(
                        "evidence.uploadRatioVsMultipart",
                        ratio(evidence.uploadMBps(), multipart.uploadMBps()),
                        transfers),
                new ResultsJson.Figure(
                        "evidence.downloadRatio", ratio(evidence.downloadMBps(), plain.downloadMBps()), transfers),
                new ResultsJson.Figure("personnel.page100.p50Ms", round(page.p50()), pageFrom),
                new ResultsJson.Figure("personnel.page100.p99Ms", round(page.p99()), pageFrom));
    }

    private static double ratio(double value, double base) {
        return Math.round(value / base * 1000) / 1000.0;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static double load(String loadAverage) {
        try {
            return Double.parseDouble(loadAverage);
        } catch (NumberFormatException unknown) {
            return -1;
        }
    }

    private Results run() throws Exception {
        String workspace = createWorkspaceWithKey();
        Api gateway = throughGateway(workspace);
        Api direct = internalTokens == null ? null : straightToService(workspace);

        String loadBefore = loadAverage();
        List<Measured> transfers = new ArrayList<>();
        try (PlainStore plain = new PlainStore(settings)) {
            // Untimed: the services have just started, and a cold JVM streams far below what it does once its
            // AES-GCM and SHA-256 intrinsics are compiled (see the crypto-service section).
            long warmup = 64 * MIB;
            plain.singlePut(warmup, 1);
            evidenceRoundTrip(gateway, warmup, 1);
            if (direct != null) {
                evidenceRoundTrip(direct, warmup, 1);
            }
            for (long size : settings.sizes()) {
                long seed = size; // the same bytes on every path of one size
                List<Callable<Transfer>> paths = new ArrayList<>(List.of(
                        () -> plain.singlePut(size, seed),
                        () -> plain.multipartPut(size, seed),
                        () -> evidenceRoundTrip(gateway, size, seed)));
                if (direct != null && settings.directSizes().contains(size)) {
                    paths.add(() -> evidenceRoundTrip(direct, size, seed));
                }
                Map<String, List<Transfer>> runs = new LinkedHashMap<>();
                // Round robin: whatever else the machine is doing weighs on every path alike.
                for (int round = 0; round < settings.repeat(); round++) {
                    for (Callable<Transfer> path : paths) {
                        Transfer transfer = path.call();
                        runs.computeIfAbsent(transfer.path(), key -> new ArrayList<>())
                                .add(transfer);
                    }
                }
                runs.forEach((path, timed) -> transfers.add(new Measured(path, size, timed)));
            }
        }

        List<String> ids = createPersonnel(gateway);
        List<Latency> latencies = new ArrayList<>();
        latencies.add(measure("page of 100, through the gateway", gateway, "personnel?limit=" + PERSONNEL, PERSONNEL));
        if (direct != null) {
            latencies.add(measure(
                    "page of 100, straight to evidence-service", direct, "personnel?limit=" + PERSONNEL, PERSONNEL));
        }
        latencies.add(measureOne("one record, through the gateway", gateway, ids));
        if (direct != null) {
            latencies.add(measureOne("one record, straight to evidence-service", direct, ids));
        }
        return new Results(transfers, latencies, loadBefore, loadAverage());
    }

    // ------------------------------------------------------------------------------------------------------
    // Set-up, through the gateway as a user
    // ------------------------------------------------------------------------------------------------------

    private String createWorkspaceWithKey() throws Exception {
        String workspace = first(
                ID,
                expect(
                                201,
                                http.send(
                                        jsonRequest(
                                                        gatewayUri("/api/v1/workspaces"),
                                                        "POST",
                                                        "{\"name\":\"Evidence benchmark\"}")
                                                .build(),
                                        BodyHandlers.ofString()))
                        .body());
        expect(
                201,
                http.send(
                        jsonRequest(
                                        gatewayUri("/api/v1/workspaces/" + workspace + "/keys"),
                                        "POST",
                                        "{\"provider\":\"local\"}")
                                .build(),
                        BodyHandlers.ofString()));
        return workspace;
    }

    private HttpRequest.Builder jsonRequest(URI uri, String method, String body) throws Exception {
        return HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + userToken())
                .header("Content-Type", "application/json")
                .method(method, BodyPublishers.ofString(body));
    }

    private URI gatewayUri(String path) {
        return URI.create("https://127.0.0.1:" + settings.gatewayTlsPort() + path);
    }

    /**
     * A fresh token for every request: the local OIDC server's tokens live 300 s, less than a run. The password
     * grant of the local development IdP accepts any password.
     */
    private String userToken() throws Exception {
        String form = "grant_type=password&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=bench&client_id=spalce-bench&scope=openid";
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(settings.oidcIssuer() + "/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(BodyPublishers.ofString(form))
                        .build(),
                BodyHandlers.ofString());
        expect(200, response);
        return first(Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\""), response.body());
    }

    // ------------------------------------------------------------------------------------------------------
    // The two ways to reach evidence-service's API
    // ------------------------------------------------------------------------------------------------------

    /** A request to evidence-service's workspace API, by path relative to the workspace, with its credentials. */
    @FunctionalInterface
    private interface Requests {
        HttpRequest.Builder to(String relativePath) throws Exception;
    }

    /** One way to reach evidence-service's workspace API: the requests, and the client that sends them. */
    private record Api(String name, HttpClient http, Requests requests) {
        HttpRequest.Builder request(String relativePath) throws Exception {
            return requests.to(relativePath);
        }

        <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws Exception {
            return http.send(request, body);
        }
    }

    /** What a user sees: HTTPS to the gateway with their own token; the gateway checks the role and forwards. */
    private Api throughGateway(String workspace) {
        return new Api(
                "through the gateway",
                http,
                path -> HttpRequest.newBuilder(gatewayUri("/api/v1/workspaces/" + workspace + "/" + path))
                        .header("Authorization", "Bearer " + userToken()));
    }

    /**
     * Mutual TLS to evidence-service (the benchmark's client certificate of the internal CA) with the internal token
     * the gateway would have sent in the user's place.
     */
    private Api straightToService(String workspace) {
        return new Api(
                "straight to evidence-service",
                internal,
                path -> HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + settings.evidencePort()
                                + "/internal/v1/workspaces/" + workspace + "/" + path))
                        .header("Authorization", "Bearer " + internalTokens.forOwner(user, workspace)));
    }

    // ------------------------------------------------------------------------------------------------------
    // Evidence files
    // ------------------------------------------------------------------------------------------------------

    private Transfer evidenceRoundTrip(Api api, long size, long seed) throws Exception {
        Generated content = new Generated(size, seed);
        String name = "bench-" + size + ".bin";
        HttpRequest upload = api.request("evidence?name=" + name)
                .header("Content-Type", "application/octet-stream")
                .timeout(TRANSFER_TIMEOUT)
                // A known length, as a client uploading a file sends it; the body itself is streamed.
                .POST(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> content), size))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> uploaded = expect(201, api.send(upload, BodyHandlers.ofString()));
        double uploadSeconds = seconds(start);
        String sha256 = content.sha256();
        String stored = first(Pattern.compile("\"sha256\"\\s*:\\s*\"([0-9a-f]+)\""), uploaded.body());
        check(sha256.equals(stored), "evidence-service stored another SHA-256 than was sent");
        String id = first(ID, uploaded.body());

        // The download a user makes: a short-lived signed URL (audited as a download), then the content.
        start = System.nanoTime();
        String path = first(
                Pattern.compile("\"path\"\\s*:\\s*\"([^\"]+)\""),
                expect(
                                200,
                                api.send(
                                        api.request("evidence/" + id + "/download-url")
                                                .GET()
                                                .build(),
                                        BodyHandlers.ofString()))
                        .body());
        HttpResponse<InputStream> download = expect(
                200, api.send(api.request(path).timeout(TRANSFER_TIMEOUT).GET().build(), BodyHandlers.ofInputStream()));
        Digested received = drain(download.body());
        double downloadSeconds = seconds(start);
        check(received.bytes() == size, "downloaded " + received.bytes() + " bytes of " + size);
        check(sha256.equals(received.sha256()), "the downloaded file differs from the uploaded one");
        check(
                download.headers()
                        .firstValue("X-Content-SHA256")
                        .filter(sha256::equals)
                        .isPresent(),
                "the download's X-Content-SHA256 header differs from the uploaded file's");

        expect(204, api.send(api.request("evidence/" + id).DELETE().build(), BodyHandlers.discarding()));
        return new Transfer("evidence, " + api.name(), size, uploadSeconds, downloadSeconds);
    }

    // ------------------------------------------------------------------------------------------------------
    // Personnel
    // ------------------------------------------------------------------------------------------------------

    private List<String> createPersonnel(Api api) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PERSONNEL; i++) {
            String body = String.format(
                    Locale.ROOT,
                    "{\"fullName\":\"Bench Person %03d\",\"email\":\"person%03d@example.com\","
                            + "\"phone\":\"+44 20 7946 %04d\",\"governmentId\":\"QQ%06dC\",\"department\":\"Engineering\"}",
                    i,
                    i,
                    i,
                    i);
            HttpResponse<String> created = expect(
                    201,
                    api.send(
                            api.request("personnel")
                                    .header("Content-Type", "application/json")
                                    .POST(BodyPublishers.ofString(body))
                                    .build(),
                            BodyHandlers.ofString()));
            ids.add(first(ID, created.body()));
        }
        return ids;
    }

    private Latency measure(String what, Api api, String relativePath, int expectedRecords) throws Exception {
        Pattern record = Pattern.compile("\"fullName\"");
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < settings.warmup() + settings.reads(); i++) {
            // The token is fetched before the clock starts: only the read itself is timed.
            HttpRequest request = api.request(relativePath).GET().build();
            long start = System.nanoTime();
            HttpResponse<String> page = expect(200, api.send(request, BodyHandlers.ofString()));
            long nanos = System.nanoTime() - start;
            check(
                    record.matcher(page.body()).results().count() == expectedRecords,
                    "a page did not hold " + expectedRecords + " records");
            if (i >= settings.warmup()) {
                samples.add(nanos);
            }
        }
        return Latency.of(what, samples);
    }

    private Latency measureOne(String what, Api api, List<String> ids) throws Exception {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < settings.warmup() + settings.reads(); i++) {
            HttpRequest request =
                    api.request("personnel/" + ids.get(i % ids.size())).GET().build();
            long start = System.nanoTime();
            expect(200, api.send(request, BodyHandlers.discarding()));
            long nanos = System.nanoTime() - start;
            if (i >= settings.warmup()) {
                samples.add(nanos);
            }
        }
        return Latency.of(what, samples);
    }

    // ------------------------------------------------------------------------------------------------------
    // The baseline: the same bytes, unencrypted, to the same bucket
    // ------------------------------------------------------------------------------------------------------

    /** The object store as evidence-service's BlobStore configures its client, minus the encryption around it. */
    private static final class PlainStore implements AutoCloseable {
        private final S3Client s3;
        private final String bucket;

        PlainStore(Settings settings) {
            this.s3 = S3Client.builder()
                    .region(Region.of(settings.s3Region()))
                    .forcePathStyle(true)
                    .endpointOverride(URI.create("http://127.0.0.1:" + settings.s3Port()))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(settings.s3AccessKey(), settings.s3SecretKey())))
                    .build();
            this.bucket = settings.s3Bucket();
        }

        /** One PUT of the whole object. */
        Transfer singlePut(long size, long seed) throws IOException {
            String key = "bench-plain/" + UUID.randomUUID();
            Supplier<Generated> content = () -> new Generated(size, seed);
            long start = System.nanoTime();
            s3.putObject(
                    PutObjectRequest.builder()
                            .bucket(bucket)
                            .key(key)
                            .contentType("application/octet-stream")
                            .contentLength(size)
                            .build(),
                    RequestBody.fromContentProvider(content::get, size, "application/octet-stream"));
            double uploadSeconds = seconds(start);
            return download("plain, one PUT", key, size, seed, uploadSeconds);
        }

        /** The way evidence-service writes a large file: a multipart upload of 8 MiB parts, each buffered. */
        Transfer multipartPut(long size, long seed) throws IOException {
            String key = "bench-plain/" + UUID.randomUUID();
            long start = System.nanoTime();
            String uploadId = s3.createMultipartUpload(
                            b -> b.bucket(bucket).key(key).contentType("application/octet-stream"))
                    .uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            byte[] part = new byte[PART_BYTES];
            try (InputStream in = new Generated(size, seed)) {
                int filled;
                while ((filled = in.readNBytes(part, 0, part.length)) > 0) {
                    int number = parts.size() + 1;
                    String etag = s3.uploadPart(
                                    UploadPartRequest.builder()
                                            .bucket(bucket)
                                            .key(key)
                                            .uploadId(uploadId)
                                            .partNumber(number)
                                            .contentLength((long) filled)
                                            .build(),
                                    RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, filled), filled))
                            .eTag();
                    parts.add(CompletedPart.builder()
                            .partNumber(number)
                            .eTag(etag)
                            .build());
                }
            }
            s3.completeMultipartUpload(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            double uploadSeconds = seconds(start);
            return download("plain, multipart PUT (8 MiB parts)", key, size, seed, uploadSeconds);
        }

        private Transfer download(String what, String key, long size, long seed, double uploadSeconds)
                throws IOException {
            long start = System.nanoTime();
            Digested received;
            try (InputStream in = s3.getObject(
                    GetObjectRequest.builder().bucket(bucket).key(key).build())) {
                received = drain(in);
            }
            double downloadSeconds = seconds(start);
            check(received.bytes() == size, "the store returned " + received.bytes() + " bytes of " + size);
            check(received.sha256().equals(Generated.sha256Of(size, seed)), "the store returned other bytes");
            s3.deleteObject(
                    DeleteObjectRequest.builder().bucket(bucket).key(key).build());
            return new Transfer(what, size, uploadSeconds, downloadSeconds);
        }

        @Override
        public void close() {
            s3.close();
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Content
    // ------------------------------------------------------------------------------------------------------

    /**
     * {@code size} pseudo-random bytes from {@code seed}, produced as they are read, with their SHA-256. Not
     * compressible and not all zeros, so that no layer can shortcut the work; not secret either.
     */
    private static final class Generated extends InputStream {
        private final SplittableRandom random;
        private final MessageDigest digest = EvidenceBenchmark.sha256();
        private final byte[] block = new byte[BUFFER];
        private long remaining;
        private int position = BUFFER;

        Generated(long size, long seed) {
            this.random = new SplittableRandom(seed);
            this.remaining = size;
        }

        static String sha256Of(long size, long seed) throws IOException {
            try (Generated content = new Generated(size, seed)) {
                content.transferTo(OutputStream.nullOutputStream());
                return content.sha256();
            }
        }

        @Override
        public int read() {
            if (exhausted()) {
                return -1;
            }
            digest.update(block[position]);
            remaining--;
            return block[position++] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (exhausted()) {
                return -1;
            }
            int n = (int) Math.min(Math.min(length, BUFFER - position), remaining);
            System.arraycopy(block, position, target, offset, n);
            digest.update(block, position, n);
            position += n;
            remaining -= n;
            return n;
        }

        /** Whether everything has been read; otherwise makes sure the block has bytes left to read. */
        private boolean exhausted() {
            if (remaining > 0 && position == BUFFER) {
                refill();
            }
            return remaining == 0;
        }

        private void refill() {
            for (int i = 0; i < BUFFER; i += Long.BYTES) {
                long value = random.nextLong();
                for (int b = 0; b < Long.BYTES; b++) {
                    block[i + b] = (byte) (value >>> (8 * b));
                }
            }
            position = 0;
        }

        /** The SHA-256 of everything read so far (the whole content once it has been read to the end). */
        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    private record Digested(long bytes, String sha256) {}

    private static Digested drain(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                total += n;
            }
        }
        return new Digested(total, HexFormat.of().formatHex(digest.digest()));
    }

    // ------------------------------------------------------------------------------------------------------
    // Internal tokens for the direct path
    // ------------------------------------------------------------------------------------------------------

    /**
     * Signs what the gateway's InternalTokenIssuer signs for evidence-service (RS256, issuer spalce-auth-gateway,
     * audience spalce-evidence, 60 s), with the benchmark's key pair the gateway was started with. The key is read
     * from a file, never from the command line or the environment, and never printed.
     */
    private static final class InternalTokens {
        private final java.security.PrivateKey key;
        private final String keyId;

        InternalTokens(Path pemFile) throws Exception {
            String pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
            check(
                    pem.contains("-----BEGIN PRIVATE KEY-----"),
                    "the internal-token key must be an unencrypted PKCS#8 PEM");
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            byte[] publicKey = rsa.generatePublic(
                            new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()))
                    .getEncoded();
            this.key = privateKey;
            // The gateway's key id: the first 8 bytes of the SHA-256 of the public key, so its JWKS matches.
            this.keyId = HexFormat.of().formatHex(sha256().digest(publicKey), 0, 8);
        }

        String forOwner(String subject, String workspace) throws Exception {
            long now = Instant.now().getEpochSecond();
            String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + keyId + "\"}";
            String claims = "{\"iss\":\"spalce-auth-gateway\",\"aud\":\"spalce-evidence\",\"sub\":\"" + subject
                    + "\",\"workspace\":\"" + workspace + "\",\"role\":\"OWNER\",\"jti\":\"" + UUID.randomUUID()
                    + "\",\"iat\":" + now + ",\"exp\":" + (now + 60) + "}";
            Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
            String signingInput = base64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64.encodeToString(rs256.sign());
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Results
    // ------------------------------------------------------------------------------------------------------

    record Results(List<Measured> transfers, List<Latency> latencies, String loadBefore, String loadAfter) {
        Measured plain(long bytes) {
            return transfers.stream()
                    .filter(t -> t.plainSinglePut() && t.bytes() == bytes)
                    .findFirst()
                    .orElseThrow();
        }

        Measured largestThroughGateway() {
            return transfers.stream()
                    .filter(t -> t.path().equals("evidence, through the gateway"))
                    .reduce((a, b) -> b.bytes() >= a.bytes() ? b : a)
                    .orElseThrow();
        }
    }

    /** One timed upload and download. */
    record Transfer(String path, long bytes, double uploadSeconds, double downloadSeconds) {
        double uploadMBps() {
            return bytes / 1e6 / uploadSeconds;
        }

        double downloadMBps() {
            return bytes / 1e6 / downloadSeconds;
        }
    }

    /** The repeated transfers of one path and size: medians and ranges, in MB/s. */
    record Measured(String path, long bytes, List<Transfer> runs) {
        double uploadMBps() {
            return median(
                    runs.stream().mapToDouble(Transfer::uploadMBps).sorted().toArray());
        }

        double downloadMBps() {
            return median(
                    runs.stream().mapToDouble(Transfer::downloadMBps).sorted().toArray());
        }

        String uploadRange() {
            return range(runs.stream().mapToDouble(Transfer::uploadMBps).toArray());
        }

        String downloadRange() {
            return range(runs.stream().mapToDouble(Transfer::downloadMBps).toArray());
        }

        boolean plainSinglePut() {
            return path.startsWith("plain, one PUT");
        }

        private static double median(double[] sorted) {
            int middle = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }

        private static String range(double[] values) {
            return String.format(
                    Locale.ROOT,
                    "%.1f–%.1f",
                    Arrays.stream(values).min().orElseThrow(),
                    Arrays.stream(values).max().orElseThrow());
        }
    }

    record Latency(String what, int samples, double p50, double p95, double p99, double max) {
        static Latency of(String what, List<Long> nanos) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Latency(
                    what,
                    sorted.length,
                    rank(sorted, 50),
                    rank(sorted, 95),
                    rank(sorted, 99),
                    sorted[sorted.length - 1] / 1e6);
        }

        /** Nearest-rank percentile, in milliseconds. */
        private static double rank(long[] sorted, int percentile) {
            int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, index)] / 1e6;
        }
    }

    record Settings(
            int gatewayTlsPort,
            int evidencePort,
            String oidcIssuer,
            int s3Port,
            String s3Bucket,
            String s3Region,
            String s3AccessKey,
            String s3SecretKey,
            Path certificate,
            List<Long> sizes,
            List<Long> directSizes,
            int warmup,
            int reads,
            Path internalTokenKey,
            Path clientCertificate,
            Path clientKey,
            Path internalCa,
            Path report,
            Path results,
            String serviceOptions,
            int repeat) {

        static Settings parse(String[] args) {
            List<Long> sizes = List.of(64 * MIB, 1024 * MIB);
            List<Long> directSizes = List.of(64 * MIB);
            int warmup = 20;
            int reads = 200;
            Path key = null;
            Path clientCertificate = null;
            Path clientKey = null;
            Path internalCa = null;
            Path report = null;
            Path results = null;
            String serviceOptions = null;
            int repeat = 3;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--sizes" -> sizes = sizes(value);
                    case "--direct-sizes" -> directSizes = sizes(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--reads" -> reads = Integer.parseInt(value);
                    case "--internal-token-key" -> key = Path.of(value);
                    case "--client-certificate" -> clientCertificate = Path.of(value);
                    case "--client-key" -> clientKey = Path.of(value);
                    case "--internal-ca" -> internalCa = Path.of(value);
                    case "--report" -> report = Path.of(value);
                    case "--results" -> results = Path.of(value);
                    case "--service-options" -> serviceOptions = value;
                    case "--repeat" -> repeat = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
                i++;
            }
            if ((clientCertificate == null) != (clientKey == null)) {
                throw new IllegalArgumentException("--client-certificate and --client-key go together");
            }
            String stateDir = env("SPALCE_STATE_DIR", ".spalce");
            return new Settings(
                    Integer.parseInt(env("SPALCE_GATEWAY_TLS_PORT", "8443")),
                    Integer.parseInt(env("SPALCE_EVIDENCE_PORT", "8081")),
                    "http://127.0.0.1:" + env("SPALCE_OIDC_PORT", "18080") + "/spalce",
                    Integer.parseInt(env("SPALCE_S3_PORT", "19090")),
                    env("SPALCE_S3_BUCKET", "spalce-evidence"),
                    env("SPALCE_S3_REGION", "eu-west-1"),
                    env("SPALCE_S3_ACCESS_KEY", "spalce-local"),
                    env("SPALCE_S3_SECRET_KEY", "spalce-local-secret"),
                    Path.of(env("SPALCE_TLS_CERTIFICATE", stateDir + "/tls/gateway-cert.pem")),
                    sizes,
                    directSizes,
                    warmup,
                    reads,
                    key,
                    clientCertificate,
                    clientKey,
                    internalCa == null ? Path.of(stateDir, "pki", "ca.crt") : internalCa,
                    report,
                    results,
                    serviceOptions,
                    repeat);
        }

        /** "64m,1g" as bytes. */
        private static List<Long> sizes(String list) {
            return Arrays.stream(list.split(","))
                    .map(String::trim)
                    .map(size -> {
                        long unit = switch (Character.toLowerCase(size.charAt(size.length() - 1))) {
                            case 'k' -> 1024L;
                            case 'm' -> MIB;
                            case 'g' -> 1024 * MIB;
                            default -> 0L;
                        };
                        return unit == 0
                                ? Long.parseLong(size)
                                : Long.parseLong(size.substring(0, size.length() - 1)) * unit;
                    })
                    .toList();
        }
    }

    /** The Markdown report, and its place in docs/benchmarks.md. */
    static final class Report {
        static final String HEADING = "### Encryption overhead in the same run, and a personnel page";
        private static final Pattern SENTENCE = Pattern.compile(
                "(?s)(Not measured yet: the 64 MiB|Measured since, in one run against a plain upload).*?(?=\\n\\n|\\z)");

        private Report() {}

        static String section(Settings settings, Results results) {
            StringBuilder md = new StringBuilder(HEADING).append("\n\n");
            md.append(
                            "Measured by `EvidenceBenchmark` (`benchmarks/evidence/run.sh`) against the running local suite, ")
                    .append("on ")
                    .append(LocalDate.now(ZoneOffset.UTC))
                    .append(" with ")
                    .append(System.getProperty("java.vm.name"))
                    .append(' ')
                    .append(System.getProperty("java.vm.version"))
                    .append(", ")
                    .append(Runtime.getRuntime().availableProcessors())
                    .append(
                            " cores: the benchmark, Kafka, the OIDC server, S3Proxy (over the local disk), PostgreSQL and ")
                    .append("the five services all on the same machine. Services' JVM options: ")
                    .append(jvmOptions(settings.serviceOptions()))
                    .append(". Files are pseudo-random bytes generated as they are sent; the same bytes go to every ")
                    .append("path of one size, and every download is read to the end and its SHA-256 checked. ")
                    .append("MB/s is 10^6 bytes per second; each path and size was timed ")
                    .append(settings.repeat())
                    .append(" times, round robin, after an untimed 64 MiB round trip on ")
                    .append("every path: the median, then the range. One-minute load average: ")
                    .append(results.loadBefore())
                    .append(" as the run began, ")
                    .append(results.loadAfter())
                    .append(" as it ended.\n\n");
            md.append("| path | size | upload MB/s | range | download MB/s | range | upload vs plain PUT "
                    + "| download vs plain GET |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Measured t : results.transfers()) {
                Measured plain = results.plain(t.bytes());
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %.1f | %s | %.1f | %s | %s | %s |%n",
                        t.path(),
                        size(t.bytes()),
                        t.uploadMBps(),
                        t.uploadRange(),
                        t.downloadMBps(),
                        t.downloadRange(),
                        ratio(t.uploadMBps(), plain.uploadMBps()),
                        ratio(t.downloadMBps(), plain.downloadMBps())));
            }
            md.append("\n- plain: the AWS SDK v2 S3 client configured as evidence-service's BlobStore, same bucket, ")
                    .append("no encryption; the multipart row writes 8 MiB parts, as evidence-service does.\n")
                    .append("- evidence: POST of the file (streamed with its length), then the download a user ")
                    .append("makes: the signed download URL, then the content, which evidence-service reads once ")
                    .append("from the store, decrypting and authenticating each segment as it streams, and holds ")
                    .append("the last chunk back until the ciphertext's SHA-256 matches the recorded one. ")
                    .append("Through the gateway: HTTPS (HTTP/1.1) with the user's token, then the gateway's mutual ")
                    .append("TLS to evidence-service; straight: mutual TLS to evidence-service with a client ")
                    .append("certificate of the local internal CA issued for the run, and an internal token signed ")
                    .append("by the benchmark's key pair.\n\n");
            md.append(String.format(
                    Locale.ROOT,
                    "Personnel: %d records (name, email, phone, government id, "
                            + "department, each record under its own data key), read sequentially: %d warm-up reads, then %d "
                            + "timed; a page is decrypted after one unwrap call to crypto-service for its 100 data keys.%n%n",
                    PERSONNEL,
                    settings.warmup(),
                    settings.reads()));
            md.append("| read | p50 | p95 | p99 | max |\n|---|---:|---:|---:|---:|\n");
            for (Latency l : results.latencies()) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms |%n",
                        l.what(),
                        l.p50(),
                        l.p95(),
                        l.p99(),
                        l.max()));
            }
            return md.toString().stripTrailing();
        }

        /** The sentence that ends the LargeFileRoundTripIT paragraph: the headline figures of this run. */
        static String summary(Results results) {
            Measured evidence = results.largestThroughGateway();
            Measured plain = results.plain(evidence.bytes());
            Latency page = results.latencies().get(0);
            return String.format(
                    Locale.ROOT,
                    "Measured since, in one run against a plain upload to the same store "
                            + "(below): %s through the gateway went up at a median %.1f MB/s (%.2f of a plain PUT's %.1f MB/s) "
                            + "and down at %.1f MB/s (%.2f of a plain GET's %.1f MB/s); a personnel page of 100 records, "
                            + "decrypted, took %.1f ms at the median and %.1f ms at p99 through the gateway.",
                    size(evidence.bytes()),
                    evidence.uploadMBps(),
                    evidence.uploadMBps() / plain.uploadMBps(),
                    plain.uploadMBps(),
                    evidence.downloadMBps(),
                    evidence.downloadMBps() / plain.downloadMBps(),
                    plain.downloadMBps(),
                    page.p50(),
                    page.p99());
        }

        /** The options as the process was started, and what they mean for the figures. */
        private static String jvmOptions(String options) {
            if (options == null) {
                return "not recorded";
            }
            String jit = options.contains("TieredStopAtLevel")
                    ? "JIT limited as shown"
                    : "full JIT, `SPALCE_SERVICE_JVM_OPTS` empty instead of the local runtime's C1-only default";
            return "`" + options + "` (heap from `SPALCE_SERVICE_HEAP`; " + jit + ")";
        }

        private static String size(long bytes) {
            return bytes % (1024 * MIB) == 0 ? bytes / (1024 * MIB) + " GiB" : bytes / MIB + " MiB";
        }

        private static String ratio(double value, double plain) {
            return String.format(Locale.ROOT, "%.2f", value / plain);
        }

        /**
         * Puts the section at the end of "## evidence-service" (replacing an earlier one) and points the closing
         * sentence of the section's first part at it; the rest of the file is kept as it is.
         */
        static void write(Path file, String summary, String section) throws IOException {
            String text = Files.readString(file);
            int start = text.indexOf("\n## evidence-service\n");
            check(start >= 0, file + " has no \"## evidence-service\" section");
            int next = text.indexOf("\n## ", start + 1);
            int end = next < 0 ? text.length() : next;
            String evidence = text.substring(start, end);
            int earlier = evidence.indexOf("\n" + HEADING + "\n");
            if (earlier >= 0) {
                evidence = evidence.substring(0, earlier);
            }
            evidence = SENTENCE.matcher(evidence.stripTrailing()).replaceFirst(Matcher.quoteReplacement(summary));
            String updated = text.substring(0, start) + evidence + "\n\n" + section + "\n"
                    + (next < 0 ? "" : text.substring(next));
            Files.writeString(file, updated);
        }
    }

    // ------------------------------------------------------------------------------------------------------

    /** The one-minute load average where the system reports one (Linux), for the report. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 2)[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static <T> HttpResponse<T> expect(int status, HttpResponse<T> response) {
        if (response.statusCode() != status) {
            Object body = response.body();
            String detail = body instanceof String text ? ": " + text.substring(0, Math.min(text.length(), 500)) : "";
            throw new IllegalStateException(
                    response.request().method() + " " + response.uri().getPath() + " answered " + response.statusCode()
                            + " (expected " + status + ")" + detail);
        }
        return response;
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        check(matcher.find(), "unexpected answer: " + text.substring(0, Math.min(text.length(), 300)));
        return matcher.group(1);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
