package dev.spalce.keyproviders.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small HashiCorp Vault for tests, on loopback: the HTTP API of the transit secrets engine mounted at
 * {@code transit} ({@code encrypt/:name}, {@code decrypt/:name}, {@code rewrap/:name} with {@code context} and
 * {@code key_version}, {@code keys/:name} read, {@code keys/:name/rotate}, {@code keys/:name/config}), Kubernetes
 * login ({@code auth/kubernetes/login}), {@code X-Vault-Token} checked on every request, errors as
 * {@code {"errors": [...]}} with Vault's statuses and messages, and 429 rate-limit answers on demand.
 *
 * <p>It encrypts for real, as Vault's {@code aes256-gcm96} derived keys do: each version is a random AES-256 key;
 * each request's key is HKDF-SHA256 of it with the context as info; the ciphertext is
 * {@code vault:v<n>:base64(nonce || AES-GCM ciphertext || tag)}. Not a Vault: keys live in memory.
 */
public final class VaultTransitTestServer extends LoopbackJsonServer {

    public static final String ROOT_TOKEN = "hvs.test-root-token-not-a-secret";
    public static final String KUBERNETES_ROLE = "spalce-crypto";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PATH =
            Pattern.compile("/v1/transit/(encrypt|decrypt|rewrap|keys)/([A-Za-z0-9_.-]+)(/rotate|/config)?");
    private static final Pattern CIPHERTEXT = Pattern.compile("vault:v([0-9]+):([A-Za-z0-9+/=]+)");

    /** One request as the server saw it. */
    public record Request(String method, String path, String token, JsonNode body) {}

    private static final class Key {
        final boolean derived;
        final List<byte[]> versions = new CopyOnWriteArrayList<>();
        final List<Long> created = new CopyOnWriteArrayList<>();
        volatile int minDecryptionVersion = 1;

        Key(boolean derived) {
            this.derived = derived;
        }
    }

    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final Map<String, Boolean> tokens = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String serviceAccountJwt = "unset";

    private VaultTransitTestServer() {
        super("Vault test server");
        tokens.put(ROOT_TOKEN, true);
    }

    /** Starts a server on a free loopback port. */
    public static VaultTransitTestServer start() {
        VaultTransitTestServer vault = new VaultTransitTestServer();
        vault.listen();
        return vault;
    }

    public URI address() {
        return baseUri();
    }

    /** Creates an {@code aes256-gcm96} key at version 1; returns its name. */
    public String createKey(boolean derived) {
        String name = "tenant-" + UUID.randomUUID();
        Key key = new Key(derived);
        addVersion(key);
        keys.put(name, key);
        return name;
    }

    /** Sets the key's {@code min_decryption_version}, as its owner would to retire old versions. */
    public void setMinDecryptionVersion(String name, int version) {
        keys.get(name).minDecryptionVersion = version;
    }

    /** The service account token a Kubernetes login must present. */
    public void acceptServiceAccountJwt(String jwt) {
        serviceAccountJwt = jwt;
    }

    /** Revokes every token issued by a login (not the root token), as their expiry would. */
    public void revokeLoginTokens() {
        tokens.keySet().removeIf(token -> !ROOT_TOKEN.equals(token));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests to one transit operation ({@code encrypt}, {@code rewrap}...). */
    public List<Request> requests(String operation) {
        return requests.stream()
                .filter(r -> r.path().startsWith("/v1/transit/" + operation + "/"))
                .toList();
    }

    @Override
    public void clearRequests() {
        requests.clear();
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        JsonNode body = requestJson(exchange);
        String path = exchange.getRequestURI().getPath();
        String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
        requests.add(new Request(exchange.getRequestMethod(), path, token, body));
        if (throttleThisRequest()) {
            respond(exchange, 429, errors("request path \"" + path.substring(4) + "\": rate limit quota exceeded"));
            return;
        }
        try {
            if (path.equals("/v1/auth/kubernetes/login")
                    && exchange.getRequestMethod().equals("POST")) {
                respond(exchange, 200, login(body));
                return;
            }
            if (token == null || !tokens.containsKey(token)) {
                throw new VaultError(403, "permission denied");
            }
            Matcher matcher = PATH.matcher(path);
            if (!matcher.matches()) {
                throw new VaultError(404, null);
            }
            ObjectNode answer =
                    dispatch(exchange.getRequestMethod(), matcher.group(1), matcher.group(2), matcher.group(3), body);
            if (answer == null) {
                exchange.sendResponseHeaders(204, -1);
            } else {
                respond(exchange, 200, answer);
            }
        } catch (VaultError e) {
            respond(exchange, e.status, e.getMessage() == null ? errors() : errors(e.getMessage()));
        }
    }

    private ObjectNode login(JsonNode body) throws VaultError {
        if (!KUBERNETES_ROLE.equals(body.path("role").asText())
                || !serviceAccountJwt.equals(body.path("jwt").asText())) {
            throw new VaultError(403, "permission denied");
        }
        String token = "hvs." + UUID.randomUUID();
        tokens.put(token, true);
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("auth")
                .put("client_token", token)
                .put("lease_duration", 3600)
                .put("renewable", true)
                .putArray("policies")
                .add("spalce-crypto");
        return answer;
    }

    private ObjectNode dispatch(String method, String operation, String name, String suffix, JsonNode body)
            throws VaultError {
        Key key = keys.get(name);
        if (operation.equals("keys")) {
            if (key == null) {
                throw new VaultError(404, null);
            }
            if (suffix == null && method.equals("GET")) {
                return describe(name, key);
            }
            if ("/rotate".equals(suffix) && method.equals("POST")) {
                addVersion(key);
                return describe(name, key);
            }
            if ("/config".equals(suffix) && method.equals("POST")) {
                key.minDecryptionVersion = body.path("min_decryption_version").asInt(key.minDecryptionVersion);
                return null;
            }
            throw new VaultError(405, "unsupported operation");
        }
        if (!method.equals("POST") && !method.equals("PUT")) {
            throw new VaultError(405, "unsupported operation");
        }
        if (key == null) {
            throw new VaultError(400, "encryption key not found");
        }
        byte[] context = context(key, body);
        ObjectNode data = JSON.createObjectNode();
        switch (operation) {
            case "encrypt" -> {
                int version = version(key, body);
                byte[] plaintext =
                        Base64.getDecoder().decode(body.path("plaintext").asText(""));
                data.put("ciphertext", seal(key, version, context, plaintext)).put("key_version", version);
            }
            case "decrypt" -> data.put("plaintext", Base64.getEncoder().encodeToString(open(key, body, context)));
            case "rewrap" -> {
                byte[] plaintext = open(key, body, context);
                int version = version(key, body);
                data.put("ciphertext", seal(key, version, context, plaintext)).put("key_version", version);
            }
            default -> throw new VaultError(404, null);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("request_id", UUID.randomUUID().toString());
        answer.set("data", data);
        return answer;
    }

    private static ObjectNode describe(String name, Key key) {
        ObjectNode data = JSON.createObjectNode();
        data.put("name", name)
                .put("type", "aes256-gcm96")
                .put("derived", key.derived)
                .put("kdf", key.derived ? "hkdf_sha256" : null)
                .put("latest_version", key.versions.size())
                .put("min_decryption_version", key.minDecryptionVersion)
                .put("min_encryption_version", 0)
                .put("deletion_allowed", false)
                .put("exportable", false)
                .put("supports_encryption", true)
                .put("supports_decryption", true)
                .put("supports_derivation", true);
        ObjectNode versions = data.putObject("keys");
        for (int i = 0; i < key.versions.size(); i++) {
            versions.put(Integer.toString(i + 1), key.created.get(i));
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.set("data", data);
        return answer;
    }

    private static int version(Key key, JsonNode body) throws VaultError {
        int version = body.path("key_version").asInt(0);
        if (version == 0) {
            return key.versions.size();
        }
        if (version < 0 || version > key.versions.size()) {
            throw new VaultError(400, "invalid key version");
        }
        return version;
    }

    private static byte[] context(Key key, JsonNode body) throws VaultError {
        String context = body.path("context").asText("");
        if (key.derived && context.isEmpty()) {
            throw new VaultError(
                    400,
                    "missing 'context' for key derivation; the key was created using a derived key, "
                            + "which means additional, per-request information must be included in order to perform operations "
                            + "with the key");
        }
        return Base64.getDecoder().decode(context);
    }

    private static String seal(Key key, int version, byte[] context, byte[] plaintext) throws VaultError {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, requestKey(key, version, context), new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plaintext);
            return "vault:v" + version + ":"
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(12 + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new VaultError(500, "internal error");
        }
    }

    private static byte[] open(Key key, JsonNode body, byte[] context) throws VaultError {
        Matcher matcher = CIPHERTEXT.matcher(body.path("ciphertext").asText(""));
        if (!matcher.matches()) {
            throw new VaultError(400, "invalid ciphertext: no prefix");
        }
        int version = Integer.parseInt(matcher.group(1));
        if (version < key.minDecryptionVersion) {
            throw new VaultError(400, "ciphertext or signature version is disallowed by policy (too old)");
        }
        if (version > key.versions.size()) {
            throw new VaultError(400, "invalid ciphertext: version is too new");
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            // Vault's own answer (sdk/helper/keysutil: a user error, 400).
            throw new VaultError(400, "invalid ciphertext: could not decode base64");
        }
        if (sealed.length < 12 + 16) {
            throw new VaultError(400, "invalid ciphertext: too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE, requestKey(key, version, context), new GCMParameterSpec(128, sealed, 0, 12));
            return cipher.doFinal(sealed, 12, sealed.length - 12);
        } catch (AEADBadTagException e) {
            throw new VaultError(400, "cipher: message authentication failed");
        } catch (GeneralSecurityException e) {
            throw new VaultError(500, "internal error");
        }
    }

    /** The version's key, or for a derived key HKDF-SHA256 (RFC 5869, JCA HMAC) of it with the context as info. */
    private static SecretKeySpec requestKey(Key key, int version, byte[] context) throws GeneralSecurityException {
        byte[] master = key.versions.get(version - 1);
        if (!key.derived) {
            return new SecretKeySpec(master, "AES");
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = mac.doFinal(master);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(context);
        mac.update((byte) 1);
        return new SecretKeySpec(mac.doFinal(), "AES");
    }

    private static void addVersion(Key key) {
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        key.versions.add(material);
        key.created.add(Instant.now().getEpochSecond());
    }

    private static ObjectNode errors(String... messages) {
        ObjectNode body = JSON.createObjectNode();
        var list = body.putArray("errors");
        for (String message : messages) {
            list.add(message);
        }
        return body;
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        respond(exchange, status, body, "application/json");
    }

    private static final class VaultError extends Exception {
        final int status;

        VaultError(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
