package dev.spalce.keyproviders.gcp;

import static dev.spalce.keyproviders.remote.KmsCalls.unavailable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.Credentials;
import com.google.auth.Retryable;
import com.google.auth.oauth2.GoogleCredentials;
import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KeyUnavailableException.Reason;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.KeyDescription;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.remote.JdkHttp;
import dev.spalce.keyproviders.remote.JsonDek;
import dev.spalce.keyproviders.remote.KmsCalls;
import dev.spalce.keyproviders.remote.KmsCalls.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Provider {@code gcp-kms}: tenants' CMKs are symmetric Cloud KMS keys (purpose {@code ENCRYPT_DECRYPT}), named by
 * their resource name {@code projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>}. A DEK is wrapped with
 * {@code :encrypt} on the exact key version and unwrapped with {@code :decrypt} on the key, both with
 * {@code additionalAuthenticatedData} = the {@link WrapContext#encode(int) wrap context} of format {@value #FORMAT}
 * followed by the key version as 4 bytes big-endian. The {@code wrapped_dek} is Cloud KMS's ciphertext as it returns
 * it. Cloud KMS has no re-encrypt: a rewrap unwraps and wraps again inside crypto-service, the DEK zeroed at once.
 *
 * <p>Cloud KMS decrypts on the key, with whichever version its ciphertext names, and its decrypt answer does not
 * say which version that was (only {@code usedPrimary}). Binding the version in the authenticated data makes the
 * {@code kms_key_id} a row carries authenticated: a DEK wrapped under version 1 and relabelled version 2 does not
 * decrypt, so a retired version unwraps nothing whatever the label says.
 *
 * <p>Versions are Cloud KMS's own numbers; the current version is the key's primary; versions not
 * {@code ENABLED} are reported disabled. A new version is {@code cryptoKeyVersions.create} followed by
 * {@code :updatePrimaryVersion}.
 *
 * <p>Cloud KMS's REST API (v1) is called with the JDK's HTTP client, since Google's gRPC client library for Cloud
 * KMS is not available here; the bearer token comes from Google's credentials library. Every request goes through
 * {@link KmsCalls} (request budget, retries with backoff on 429 {@code RESOURCE_EXHAUSTED}, 5xx and network
 * failures, metrics). Plain Java.
 */
public final class GcpKmsKeyProvider implements KeyProvider {

    public static final String ID = "gcp-kms";

    /**
     * The wrapped-key format byte of this provider's authenticated data (its {@code wrapped_dek} is Cloud KMS's
     * own). Format 0x03, the wrap context without the version, is no longer read: it let a relabelled row unwrap.
     */
    public static final int FORMAT = 0x04;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KEY_NAME = Pattern.compile(
            "projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/locations/[a-z0-9-]{1,63}/keyRings/[A-Za-z0-9_-]{1,63}"
                    + "/cryptoKeys/[A-Za-z0-9_-]{1,63}");
    private static final String FULL_NAME_PREFIX = "//cloudkms.googleapis.com/";
    private static final Pattern VERSION_NAME = Pattern.compile(".*/cryptoKeyVersions/([1-9][0-9]{0,9})");

    /** Cloud KMS answered with an error status ({@code error.status} is the gRPC code's name). */
    public static final class GcpKmsException extends RuntimeException {
        private final int status;
        private final String code;

        GcpKmsException(int status, String code, String message) {
            super("Cloud KMS answered " + status + " " + code + ": " + message);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    private final URI endpoint;
    private final Credentials credentials;
    private final Duration attemptTimeout;
    private final KmsCalls calls;
    private final HttpClient client;

    /**
     * @param endpoint Cloud KMS's REST endpoint, e.g. {@code https://cloudkms.googleapis.com}
     * @param credentials Google credentials scoped for Cloud KMS
     * @param attemptTimeout the deadline of one request, connection included
     */
    public GcpKmsKeyProvider(URI endpoint, Credentials credentials, Duration attemptTimeout, KmsCalls calls) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.attemptTimeout = Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.client = HttpClient.newBuilder()
                .connectTimeout(attemptTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The OAuth scope of Cloud KMS. */
    public static final String SCOPE = "https://www.googleapis.com/auth/cloudkms";

    /**
     * Google credentials for Cloud KMS: those of {@code credentialsFile} (a service account key, or an external
     * account configuration for workload identity federation), else Application Default Credentials.
     */
    public static GoogleCredentials credentials(Optional<Path> credentialsFile) {
        try {
            GoogleCredentials credentials;
            if (credentialsFile.isPresent()) {
                try (InputStream in = Files.newInputStream(credentialsFile.get())) {
                    credentials = GoogleCredentials.fromStream(in);
                }
            } else {
                credentials = GoogleCredentials.getApplicationDefault();
            }
            // No retries inside the token refresh: KmsCalls retries, within the provider call's deadline.
            return credentials.createScoped(List.of(SCOPE)).createWithCustomRetryStrategy(false);
        } catch (IOException e) {
            throw new IllegalStateException("no Google credentials for the gcp-kms key provider: " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public WrappedKey wrap(KmsKeyId keyVersion, DataKey dek, WrapContext context) {
        String name = nameOf(keyVersion) + "/cryptoKeyVersions/" + keyVersion.version();
        byte[] body = encryptBody(dek, context, keyVersion.version());
        try {
            JsonNode answer = json(calls.call(
                    "wrap",
                    keyVersion,
                    () -> send("POST", name + ":encrypt", body),
                    failure -> classify(keyVersion, failure, false)));
            Matcher version = VERSION_NAME.matcher(answer.path("name").asText(""));
            if (!version.matches() || Integer.parseInt(version.group(1)) != keyVersion.version()) {
                throw new IllegalStateException(
                        "Cloud KMS encrypted under another version than the requested " + keyVersion.version());
            }
            return new WrappedKey(
                    keyVersion,
                    Base64.getDecoder().decode(answer.path("ciphertext").asText("")));
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    @Override
    public DataKey unwrap(KmsKeyId keyVersion, byte[] wrappedDek, WrapContext context) {
        String name = nameOf(keyVersion);
        if (wrappedDek.length == 0) {
            throw new BadCiphertextException("a gcp-kms wrapped DEK is never empty");
        }
        byte[] body = bytes(JSON.createObjectNode()
                .put("ciphertext", Base64.getEncoder().encodeToString(wrappedDek))
                .put(
                        "additionalAuthenticatedData",
                        Base64.getEncoder().encodeToString(additionalData(context, keyVersion.version()))));
        return calls.call(
                "unwrap",
                keyVersion,
                () -> {
                    byte[] answer = send("POST", name + ":decrypt", body);
                    try {
                        return JsonDek.read(answer, List.of("plaintext"), "Cloud KMS");
                    } finally {
                        Arrays.fill(answer, (byte) 0);
                    }
                },
                failure -> classify(keyVersion, failure, true));
    }

    /**
     * The key's relative resource name: Cloud KMS's full resource name ({@code //cloudkms.googleapis.com/projects/…})
     * and a trailing slash are reduced to it. A project number in place of the project id is refused by the
     * reference rule (the project segment starts with a letter), so one key has one name.
     */
    @Override
    public String canonicalReference(String keyReference) {
        String canonical = keyReference == null ? null : keyReference.trim();
        if (canonical != null && canonical.startsWith(FULL_NAME_PREFIX)) {
            canonical = canonical.substring(FULL_NAME_PREFIX.length());
        }
        if (canonical != null && canonical.endsWith("/")) {
            canonical = canonical.substring(0, canonical.length() - 1);
        }
        requireName(canonical);
        return canonical;
    }

    @Override
    public KeyDescription describe(String keyReference) {
        requireName(keyReference);
        KmsKeyId subject = KmsKeyId.of(ID, keyReference, 1);
        JsonNode key = json(calls.call(
                "describe",
                subject,
                () -> send("GET", keyReference, null),
                failure -> classify(subject, failure, false)));
        if (!"ENCRYPT_DECRYPT".equals(key.path("purpose").asText())) {
            throw new IllegalArgumentException("Cloud KMS key " + keyReference + " has purpose "
                    + key.path("purpose").asText() + ", not ENCRYPT_DECRYPT (a symmetric encryption key)");
        }
        JsonNode primary = key.path("primary");
        Matcher primaryName = VERSION_NAME.matcher(primary.path("name").asText(""));
        if (!primaryName.matches() || !"ENABLED".equals(primary.path("state").asText())) {
            throw new KeyUnavailableException(subject, Reason.KEY_DISABLED);
        }
        List<KeyDescription.Version> versions = new ArrayList<>();
        String pageToken = "";
        do {
            String page =
                    pageToken.isEmpty() ? "" : "&pageToken=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8);
            JsonNode listed = json(calls.call(
                    "list-versions",
                    subject,
                    () -> send("GET", keyReference + "/cryptoKeyVersions?pageSize=100" + page, null),
                    failure -> classify(subject, failure, false)));
            for (JsonNode version : listed.path("cryptoKeyVersions")) {
                Matcher number = VERSION_NAME.matcher(version.path("name").asText(""));
                if (number.matches()) {
                    versions.add(new KeyDescription.Version(
                            Integer.parseInt(number.group(1)),
                            "ENABLED".equals(version.path("state").asText())));
                }
            }
            pageToken = listed.path("nextPageToken").asText("");
        } while (!pageToken.isEmpty());
        return new KeyDescription(keyReference, Integer.parseInt(primaryName.group(1)), versions);
    }

    @Override
    public KmsKeyId createVersion(String keyReference) {
        requireName(keyReference);
        KmsKeyId subject = KmsKeyId.of(ID, keyReference, 1);
        JsonNode created = json(calls.call(
                "rotate",
                subject,
                () -> send("POST", keyReference + "/cryptoKeyVersions", "{}".getBytes(StandardCharsets.US_ASCII)),
                failure -> classify(subject, failure, false)));
        Matcher number = VERSION_NAME.matcher(created.path("name").asText(""));
        if (!number.matches()) {
            throw new KeyUnavailableException(
                    subject,
                    Reason.PROVIDER_UNAVAILABLE,
                    new IllegalStateException("Cloud KMS created a version without a well-formed name"));
        }
        byte[] primary = bytes(JSON.createObjectNode().put("cryptoKeyVersionId", number.group(1)));
        calls.call(
                "rotate",
                subject,
                () -> send("POST", keyReference + ":updatePrimaryVersion", primary),
                failure -> classify(subject, failure, false));
        return KmsKeyId.of(ID, keyReference, Integer.parseInt(number.group(1)));
    }

    @Override
    public String toString() {
        return "GcpKmsKeyProvider[" + endpoint + "]";
    }

    /**
     * Sends one request to {@code /v1/<path>} with the credentials' headers and returns the raw answer (the caller
     * zeroes it when it holds a secret).
     *
     * @param body the raw JSON body, or null; sent without a copy, so the caller may zero it afterwards
     */
    private byte[] send(String method, String path, byte[] body) {
        URI uri = URI.create(endpoint.toString().replaceAll("/+$", "") + "/v1/" + path);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(attemptTimeout).header("Accept", "application/json");
        try {
            for (Map.Entry<String, List<String>> header :
                    credentials.getRequestMetadata(uri).entrySet()) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpResponse<byte[]> response = JdkHttp.send(client, request, method, body, "Cloud KMS");
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        JsonNode error;
        try {
            error = JSON.readTree(response.body()).path("error");
        } catch (IOException | RuntimeException e) {
            error = JSON.createObjectNode();
        }
        throw new GcpKmsException(
                response.statusCode(),
                error.path("status").asText("UNKNOWN"),
                error.path("message").asText("(no JSON error body)"));
    }

    /**
     * The encrypt body, built as bytes so that the base64 of the DEK lives only in arrays this class zeroes.
     */
    private static byte[] encryptBody(DataKey dek, WrapContext context, int version) {
        return JsonDek.write(
                "{\"additionalAuthenticatedData\":\""
                        + Base64.getEncoder().encodeToString(additionalData(context, version)) + "\",\"plaintext\":\"",
                dek,
                "\"}");
    }

    /** The wrap context of format {@value #FORMAT}, then the key version as 4 bytes big-endian (docs/format.md 9.3). */
    public static byte[] additionalData(WrapContext context, int version) {
        byte[] wrapContext = context.encode(FORMAT);
        return ByteBuffer.allocate(wrapContext.length + Integer.BYTES)
                .put(wrapContext)
                .putInt(version)
                .array();
    }

    private static JsonNode json(byte[] answer) {
        try {
            return JSON.readTree(answer);
        } catch (IOException e) {
            throw new UncheckedIOException("Cloud KMS's answer is not JSON", e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String nameOf(KmsKeyId keyVersion) {
        requireOwn(keyVersion);
        requireName(keyVersion.reference());
        return keyVersion.reference();
    }

    private static void requireName(String keyReference) {
        if (keyReference == null || !KEY_NAME.matcher(keyReference).matches()) {
            throw new IllegalArgumentException("a gcp-kms key reference is the key's resource name, "
                    + "projects/<project>/locations/<location>/keyRings/<key ring>/cryptoKeys/<key>");
        }
    }

    /** Cloud KMS's answers in provider-independent terms (google.rpc.Code names in {@code error.status}). */
    static Failure classify(KmsKeyId subject, RuntimeException failure, boolean decrypting) {
        if (failure instanceof GcpKmsException kms) {
            int status = kms.status();
            if (status == 429 || "RESOURCE_EXHAUSTED".equals(kms.code())) {
                return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, true, "throttled");
            }
            if (status >= 500) {
                return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, true, "server-error");
            }
            if (status == 404) {
                return unavailable(subject, Reason.UNKNOWN_KEY, failure, false, "unknown-key");
            }
            if (status == 401 || status == 403) {
                return unavailable(subject, Reason.ACCESS_DENIED, failure, false, "access-denied");
            }
            if ("FAILED_PRECONDITION".equals(kms.code())) {
                // A version that is not ENABLED (disabled, destroyed, scheduled for destruction).
                return unavailable(subject, Reason.KEY_DISABLED, failure, false, "key-disabled");
            }
            if (decrypting && "INVALID_ARGUMENT".equals(kms.code())) {
                return new Failure(
                        new BadCiphertextException("wrapped DEK did not decrypt under " + subject.reference()
                                + " with this record's additional authenticated data: another key's, another record's, or "
                                + "modified"),
                        false,
                        "bad-ciphertext");
            }
            return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, false, "rejected");
        }
        if (failure instanceof UncheckedIOException io) {
            if (io.getCause() instanceof Retryable auth && !auth.isRetryable()) {
                return unavailable(subject, Reason.ACCESS_DENIED, failure, false, "access-denied");
            }
            return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, true, "unreachable");
        }
        return KmsCalls.typedOrUnexpected(subject, failure);
    }
}
