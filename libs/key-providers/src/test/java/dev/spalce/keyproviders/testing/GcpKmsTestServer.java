package dev.spalce.keyproviders.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small Cloud KMS for tests, on loopback: Cloud KMS's REST API v1 for symmetric keys ({@code GET cryptoKeys/*},
 * {@code GET …/cryptoKeyVersions} in pages, {@code POST …/cryptoKeyVersions}, {@code :updatePrimaryVersion},
 * {@code :encrypt} on a key or a version and {@code :decrypt} on a key, both with
 * {@code additionalAuthenticatedData}), a bearer token checked on every request, errors as
 * {@code {"error": {"code", "message", "status"}}} with Google's statuses, and 429 {@code RESOURCE_EXHAUSTED} on
 * demand; and the OAuth token endpoint a service account key file names ({@code POST /token} with the JWT bearer
 * grant, the assertion's RS256 signature, issuer, audience (Google's token server, whatever the key file's
 * {@code token_uri}) and scope checked as Google checks them).
 *
 * <p>It encrypts for real: each key version is a random AES-256 key; a ciphertext is
 * {@code version (4 bytes) || nonce || AES-GCM(plaintext, AAD)}. Not Cloud KMS: keys live in memory.
 */
public final class GcpKmsTestServer extends LoopbackJsonServer {

    public static final String CLIENT_EMAIL = "crypto-service@spalce-test.iam.gserviceaccount.com";
    public static final String SCOPE = "https://www.googleapis.com/auth/cloudkms";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PAGE_SIZE = 2;
    private static final Pattern PATH = Pattern.compile("/v1/(projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/"
            + "[^/:]+)(?:/cryptoKeyVersions(?:/([0-9]+))?)?(:encrypt|:decrypt|:updatePrimaryVersion)?");

    /** One request as the server saw it: {@code operation} is e.g. {@code encrypt}, {@code get-key}, {@code token}. */
    public record Request(String method, String path, String operation, JsonNode body) {}

    private static final class Key {
        final List<byte[]> versions = new CopyOnWriteArrayList<>();
        final Map<Integer, String> states = new ConcurrentHashMap<>();
        volatile int primary = 1;
    }

    private final KeyPair serviceAccount;
    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final java.util.Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private GcpKmsTestServer() {
        super("Cloud KMS test server");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            serviceAccount = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a server on a free loopback port. */
    public static GcpKmsTestServer start() {
        GcpKmsTestServer kms = new GcpKmsTestServer();
        kms.listen();
        return kms;
    }

    /** Cloud KMS's endpoint, {@code http://127.0.0.1:<port>}. */
    public java.net.URI endpoint() {
        return baseUri();
    }

    /**
     * Writes a service account key file (Google's JSON format) whose token endpoint is this server; returns its path.
     */
    public Path writeCredentialsFile(Path directory) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(serviceAccount.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode file = JSON.createObjectNode()
                .put("type", "service_account")
                .put("project_id", "spalce-test")
                .put("private_key_id", "test-key-1")
                .put("private_key", pem)
                .put("client_email", CLIENT_EMAIL)
                .put("client_id", "100000000000000000001")
                .put("token_uri", endpoint() + "/token");
        try {
            Files.createDirectories(directory);
            Path path = directory.resolve("gcp-service-account-" + endpoint().getPort() + ".json");
            Files.write(path, JSON.writeValueAsBytes(file));
            return path;
        } catch (IOException e) {
            throw new IllegalStateException("could not write the service account key file", e);
        }
    }

    /** Creates a symmetric key with one version; returns its resource name. */
    public String createKey() {
        String name = "projects/spalce-test/locations/europe-west1/keyRings/spalce/cryptoKeys/tenant-"
                + UUID.randomUUID().toString().substring(0, 8);
        Key key = new Key();
        addVersion(key);
        keys.put(name, key);
        return name;
    }

    /** Sets the state of one version ({@code ENABLED}, {@code DISABLED}, {@code DESTROYED}...). */
    public void setState(String name, int version, String state) {
        keys.get(name).states.put(version, state);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String operation) {
        return requests.stream().filter(r -> r.operation().equals(operation)).toList();
    }

    @Override
    public void clearRequests() {
        requests.clear();
    }

    private static int addVersion(Key key) {
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        key.versions.add(material);
        key.states.put(key.versions.size(), "ENABLED");
        return key.versions.size();
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if ("/token".equals(path) && "POST".equals(exchange.getRequestMethod())) {
            token(exchange);
            return;
        }
        Matcher matcher = PATH.matcher(path);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        JsonNode body = requestJson(exchange);
        String operation = matcher.matches() ? operation(exchange.getRequestMethod(), matcher) : "unknown";
        if (authorization == null
                || !authorization.startsWith("Bearer ")
                || !tokens.contains(authorization.substring("Bearer ".length()))) {
            requests.add(new Request(exchange.getRequestMethod(), path, "unauthenticated", body));
            error(exchange, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
            return;
        }
        requests.add(new Request(exchange.getRequestMethod(), path, operation, body));
        if (operation.equals("unknown")) {
            error(exchange, 404, "NOT_FOUND", "The requested URL was not found on this server.");
            return;
        }
        if (throttleThisRequest()) {
            error(
                    exchange,
                    429,
                    "RESOURCE_EXHAUSTED",
                    "Quota exceeded for quota metric 'Cryptographic requests' "
                            + "and limit 'Cryptographic requests per minute' of service 'cloudkms.googleapis.com'.");
            return;
        }
        String name = matcher.group(1);
        Key key = keys.get(name);
        if (key == null) {
            error(exchange, 404, "NOT_FOUND", "CryptoKey " + name + " not found.");
            return;
        }
        String versionText = matcher.group(2);
        switch (operation) {
            case "get-key" -> respond(exchange, 200, cryptoKey(name, key), "application/json; charset=UTF-8");
            case "list-versions" -> {
                int skip = Integer.parseInt(
                        query(exchange.getRequestURI().getRawQuery()).getOrDefault("pageToken", "0"));
                ObjectNode page = JSON.createObjectNode();
                ArrayNode listed = page.putArray("cryptoKeyVersions");
                for (int v = skip + 1; v <= Math.min(skip + PAGE_SIZE, key.versions.size()); v++) {
                    listed.add(version(name, key, v));
                }
                if (skip + PAGE_SIZE < key.versions.size()) {
                    page.put("nextPageToken", String.valueOf(skip + PAGE_SIZE));
                }
                page.put("totalSize", key.versions.size());
                respond(exchange, 200, page, "application/json; charset=UTF-8");
            }
            case "create-version" ->
                respond(exchange, 200, version(name, key, addVersion(key)), "application/json; charset=UTF-8");
            case "updatePrimaryVersion" -> {
                int version = body.path("cryptoKeyVersionId").asInt(0);
                if (version < 1 || version > key.versions.size()) {
                    error(exchange, 400, "INVALID_ARGUMENT", "Invalid cryptoKeyVersionId.");
                    return;
                }
                key.primary = version;
                respond(exchange, 200, cryptoKey(name, key), "application/json; charset=UTF-8");
            }
            case "encrypt" ->
                encrypt(exchange, name, key, versionText == null ? key.primary : Integer.parseInt(versionText), body);
            default -> decrypt(exchange, name, key, body);
        }
    }

    private static String operation(String method, Matcher matcher) {
        String action = matcher.group(3);
        boolean versions = matcher.group(0).contains("/cryptoKeyVersions");
        if (action != null) {
            return "POST".equals(method) ? action.substring(1) : "unknown";
        }
        if ("GET".equals(method)) {
            return !versions ? "get-key" : matcher.group(2) == null ? "list-versions" : "unknown";
        }
        return "POST".equals(method) && versions && matcher.group(2) == null ? "create-version" : "unknown";
    }

    private void encrypt(HttpExchange exchange, String name, Key key, int version, JsonNode body) throws IOException {
        if (version < 1 || version > key.versions.size()) {
            error(
                    exchange,
                    404,
                    "NOT_FOUND",
                    "CryptoKeyVersion " + name + "/cryptoKeyVersions/" + version + " not found.");
            return;
        }
        if (!"ENABLED".equals(key.states.get(version))) {
            notEnabled(exchange, name, version, key.states.get(version));
            return;
        }
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(key.versions.get(version - 1), "AES"),
                    new GCMParameterSpec(128, nonce));
            gcm.updateAAD(Base64.getDecoder()
                    .decode(body.path("additionalAuthenticatedData").asText("")));
            byte[] sealed = gcm.doFinal(
                    Base64.getDecoder().decode(body.path("plaintext").asText("")));
            byte[] ciphertext = ByteBuffer.allocate(4 + 12 + sealed.length)
                    .putInt(version)
                    .put(nonce)
                    .put(sealed)
                    .array();
            ObjectNode answer = JSON.createObjectNode()
                    .put("name", name + "/cryptoKeyVersions/" + version)
                    .put("ciphertext", Base64.getEncoder().encodeToString(ciphertext))
                    .put("protectionLevel", "SOFTWARE");
            respond(exchange, 200, answer, "application/json; charset=UTF-8");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            error(exchange, 400, "INVALID_ARGUMENT", "Invalid plaintext or additional authenticated data.");
        }
    }

    private void decrypt(HttpExchange exchange, String name, Key key, JsonNode body) throws IOException {
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(body.path("ciphertext").asText(""));
        } catch (IllegalArgumentException e) {
            error(exchange, 400, "INVALID_ARGUMENT", "Invalid ciphertext.");
            return;
        }
        int version = ciphertext.length < 4 + 12 + 16
                ? 0
                : ByteBuffer.wrap(ciphertext).getInt();
        if (version < 1 || version > key.versions.size()) {
            error(exchange, 400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.");
            return;
        }
        if (!"ENABLED".equals(key.states.get(version))) {
            notEnabled(exchange, name, version, key.states.get(version));
            return;
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(key.versions.get(version - 1), "AES"),
                    new GCMParameterSpec(128, ciphertext, 4, 12));
            gcm.updateAAD(Base64.getDecoder()
                    .decode(body.path("additionalAuthenticatedData").asText("")));
            byte[] plaintext = gcm.doFinal(ciphertext, 16, ciphertext.length - 16);
            ObjectNode answer = JSON.createObjectNode()
                    .put("plaintext", Base64.getEncoder().encodeToString(plaintext))
                    .put("usedPrimary", version == key.primary)
                    .put("protectionLevel", "SOFTWARE");
            respond(exchange, 200, answer, "application/json; charset=UTF-8");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            error(
                    exchange,
                    400,
                    "INVALID_ARGUMENT",
                    "Decryption failed: verify that 'name' refers to the correct " + "CryptoKey.");
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        String form;
        try (InputStream in = exchange.getRequestBody()) {
            form = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> fields = query(form);
        requests.add(new Request("POST", "/token", "token", JSON.createObjectNode()));
        String assertion = fields.getOrDefault("assertion", "");
        String[] parts = assertion.split("\\.");
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(fields.get("grant_type")) || parts.length != 3) {
            oauthError(exchange, "invalid_request", "Invalid grant type or assertion.");
            return;
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(serviceAccount.getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))
                    || !CLIENT_EMAIL.equals(claims.path("iss").asText())
                    || !"https://oauth2.googleapis.com/token"
                            .equals(claims.path("aud").asText())
                    || !claims.path("scope").asText().contains(SCOPE)) {
                oauthError(exchange, "invalid_grant", "Invalid JWT Signature.");
                return;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            oauthError(exchange, "invalid_grant", "Invalid JWT Signature.");
            return;
        }
        String token = "ya29.test-" + UUID.randomUUID();
        tokens.add(token);
        respond(
                exchange,
                200,
                JSON.createObjectNode()
                        .put("access_token", token)
                        .put("expires_in", 3599)
                        .put("token_type", "Bearer"),
                "application/json; charset=utf-8");
    }

    private static ObjectNode cryptoKey(String name, Key key) {
        ObjectNode cryptoKey = JSON.createObjectNode().put("name", name).put("purpose", "ENCRYPT_DECRYPT");
        cryptoKey.set("primary", version(name, key, key.primary));
        cryptoKey
                .putObject("versionTemplate")
                .put("protectionLevel", "SOFTWARE")
                .put("algorithm", "GOOGLE_SYMMETRIC_ENCRYPTION");
        return cryptoKey;
    }

    private static ObjectNode version(String name, Key key, int version) {
        return JSON.createObjectNode()
                .put("name", name + "/cryptoKeyVersions/" + version)
                .put("state", key.states.get(version))
                .put("protectionLevel", "SOFTWARE")
                .put("algorithm", "GOOGLE_SYMMETRIC_ENCRYPTION");
    }

    private static void notEnabled(HttpExchange exchange, String name, int version, String state) throws IOException {
        error(
                exchange,
                400,
                "FAILED_PRECONDITION",
                "The request cannot be fulfilled. Resource " + name + "/cryptoKeyVersions/" + version + " has value "
                        + state + " in field crypto_key_version.state.");
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("code", status).put("message", message).put("status", code);
        respond(exchange, status, error, "application/json; charset=UTF-8");
    }

    private static void oauthError(HttpExchange exchange, String code, String description) throws IOException {
        respond(
                exchange,
                400,
                JSON.createObjectNode().put("error", code).put("error_description", description),
                "application/json; charset=utf-8");
    }
}
