package dev.spalce.keyproviders.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * A small Azure Key Vault for tests, on loopback over HTTPS ({@link LoopbackTls}), with the Microsoft Entra ID token
 * endpoint beside it: Key Vault's REST API for keys ({@code GET keys/{name}[/{version}]},
 * {@code GET keys/{name}/versions} in pages with {@code nextLink}, {@code POST keys/{name}/rotate},
 * {@code POST keys/{name}/{version}/wrapkey} and {@code unwrapkey} with {@code {"alg", "value"}} in base64url),
 * {@code api-version} required, a bearer token checked on every request and the 401 challenge
 * ({@code WWW-Authenticate: Bearer authorization="…", resource="https://vault.azure.net"}) without one, errors as
 * {@code {"error": {"code", "message"}}} with Key Vault's statuses, and 429 with {@code Retry-After} on demand;
 * {@code POST /{tenant}/oauth2/v2.0/token} grants tokens for the client credentials grant.
 *
 * <p>It wraps for real: every key version is an RSA-2048 key pair, and {@code RSA-OAEP-256} is RSA-OAEP with SHA-256
 * and MGF1-SHA-256, as Key Vault's. Versions get ids like Azure's (32 hex digits) and creation times in whole
 * seconds, a second apart. Not a Key Vault: keys live in memory.
 */
public final class AzureKeyVaultTestServer extends LoopbackJsonServer {

    public static final String TENANT = "00000000-0000-0000-0000-0000000000aa";
    public static final String CLIENT_ID = "00000000-0000-0000-0000-0000000000cc";
    public static final String CLIENT_SECRET = "kv-test-client-secret-not-a-secret";
    public static final String SCOPE = "https://vault.azure.net/.default";

    private static final int PAGE_SIZE = 2;
    private static final Pattern KEYS =
            Pattern.compile("/keys/([0-9A-Za-z-]+)(?:/(versions|rotate|[0-9a-f]{32})?(?:/(wrapkey|unwrapkey))?)?/?");
    private static final Pattern TOKEN_PATH = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");
    private static final OAEPParameterSpec OAEP_256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    /** One request as the server saw it: {@code operation} is e.g. {@code wrapkey}, {@code get-key}, {@code token}. */
    public record Request(String method, String path, String operation, boolean authorized, JsonNode body) {}

    private record Version(String id, KeyPair pair, long created, boolean enabled) {}

    private final Map<String, List<Version>> keys = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong(Instant.now().getEpochSecond());

    private AzureKeyVaultTestServer() {
        super("Azure Key Vault test server", LoopbackTls.get().serverContext());
    }

    /** Starts a server on a free loopback port. */
    public static AzureKeyVaultTestServer start() {
        AzureKeyVaultTestServer vault = new AzureKeyVaultTestServer();
        vault.listen();
        return vault;
    }

    /** The vault's URL, {@code https://127.0.0.1:<port>}; also the authority host of its token endpoint. */
    public URI vaultUrl() {
        return baseUri();
    }

    /** Creates an RSA-2048 key with one version; returns its versionless key identifier. */
    public String createKey() {
        String name = "tenant-key-" + UUID.randomUUID().toString().substring(0, 8);
        keys.put(name, new CopyOnWriteArrayList<>(List.of(newVersion())));
        return vaultUrl() + "/keys/" + name;
    }

    /** Enables or disables every version of a key. */
    public void setEnabled(String keyIdentifier, boolean enabled) {
        List<Version> versions = keys.get(nameOf(keyIdentifier));
        versions.replaceAll(v -> new Version(v.id(), v.pair(), v.created(), enabled));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The authorized requests of one operation, e.g. {@code wrapkey}. */
    public List<Request> requests(String operation) {
        return requests.stream()
                .filter(r -> r.operation().equals(operation) && r.authorized())
                .toList();
    }

    @Override
    public void clearRequests() {
        requests.clear();
    }

    private static String nameOf(String keyIdentifier) {
        return keyIdentifier.substring(keyIdentifier.lastIndexOf('/') + 1);
    }

    private Version newVersion() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String id = UUID.randomUUID().toString().replace("-", "");
            return new Version(id, generator.generateKeyPair(), clock.incrementAndGet(), true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Matcher token = TOKEN_PATH.matcher(path);
        if (token.matches() && "POST".equals(exchange.getRequestMethod())) {
            token(exchange, token.group(1));
            return;
        }
        Matcher matcher = KEYS.matcher(path);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        boolean authorized = authorization != null
                && authorization.startsWith("Bearer ")
                && tokens.contains(authorization.substring("Bearer ".length()));
        JsonNode body = requestJson(exchange);
        String operation = !matcher.matches() ? "unknown" : operation(exchange.getRequestMethod(), matcher);
        requests.add(new Request(exchange.getRequestMethod(), path, operation, authorized, body));
        if (!authorized) {
            exchange.getResponseHeaders()
                    .set(
                            "WWW-Authenticate",
                            "Bearer authorization=\"https://login.microsoftonline" + ".com/" + TENANT
                                    + "\", resource=\"https://vault.azure.net\"");
            error(exchange, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
            return;
        }
        if (!matcher.matches() || operation.equals("unknown")) {
            error(exchange, 400, "BadParameter", "The request URI is invalid.");
            return;
        }
        if (query.get("api-version") == null) {
            error(exchange, 400, "BadParameter", "The 'api-version' query parameter is missing.");
            return;
        }
        if (throttleThisRequest()) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            error(exchange, 429, "Throttled", "Request was not allowed because the rate limit was exceeded.");
            return;
        }
        String name = matcher.group(1);
        List<Version> versions = keys.get(name);
        if (versions == null) {
            error(exchange, 404, "KeyNotFound", "A key with (name/id) " + name + " was not found in this key vault.");
            return;
        }
        switch (operation) {
            case "get-key" -> {
                Version version =
                        matcher.group(2) == null ? versions.get(versions.size() - 1) : find(versions, matcher.group(2));
                if (version == null) {
                    error(
                            exchange,
                            404,
                            "KeyNotFound",
                            "A key with (name/id) " + name + "/" + matcher.group(2)
                                    + " was not found in this key vault.");
                    return;
                }
                respond(exchange, 200, bundle(name, version), "application/json; charset=utf-8");
            }
            case "rotate" -> {
                Version version = newVersion();
                versions.add(version);
                respond(exchange, 200, bundle(name, version), "application/json; charset=utf-8");
            }
            case "list-versions" -> {
                int skip = Integer.parseInt(query.getOrDefault("$skiptoken", "0"));
                ObjectNode page = JSON.createObjectNode();
                ArrayNode value = page.putArray("value");
                // Newest first, as an order the client must not rely on.
                List<Version> newestFirst = new java.util.ArrayList<>(versions);
                java.util.Collections.reverse(newestFirst);
                for (Version version : newestFirst.subList(skip, Math.min(skip + PAGE_SIZE, newestFirst.size()))) {
                    ObjectNode item = value.addObject();
                    item.put("kid", kid(name, version));
                    item.set("attributes", attributes(version));
                }
                if (skip + PAGE_SIZE < newestFirst.size()) {
                    page.put(
                            "nextLink",
                            vaultUrl() + "/keys/" + name + "/versions?api-version=" + query.get("api-version")
                                    + "&$skiptoken=" + (skip + PAGE_SIZE) + "&maxresults=" + PAGE_SIZE);
                } else {
                    page.putNull("nextLink");
                }
                respond(exchange, 200, page, "application/json; charset=utf-8");
            }
            default -> crypto(exchange, name, find(versions, matcher.group(2)), operation, body);
        }
    }

    private static String operation(String method, Matcher matcher) {
        String second = matcher.group(2);
        String third = matcher.group(3);
        if ("GET".equals(method) && "versions".equals(second)) {
            return "list-versions";
        }
        if ("GET".equals(method) && third == null && !"rotate".equals(second)) {
            return "get-key";
        }
        if ("POST".equals(method) && "rotate".equals(second)) {
            return "rotate";
        }
        if ("POST".equals(method) && third != null && second != null && second.length() == 32) {
            return third;
        }
        return "unknown";
    }

    private void crypto(HttpExchange exchange, String name, Version version, String operation, JsonNode body)
            throws IOException {
        if (version == null) {
            error(exchange, 404, "KeyNotFound", "A key with (name/id) " + name + " was not found in this key vault.");
            return;
        }
        if (!version.enabled()) {
            String verb = operation.equals("wrapkey") ? "wrapKey" : "unwrapKey";
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error")
                    .put("code", "Forbidden")
                    .put("message", "Operation " + verb + " is not allowed on a disabled key.")
                    .putObject("innererror")
                    .put("code", "KeyDisabled");
            respond(exchange, 403, error, "application/json; charset=utf-8");
            return;
        }
        if (!"RSA-OAEP-256".equals(body.path("alg").asText())) {
            error(exchange, 400, "BadParameter", "Invalid algorithm.");
            return;
        }
        byte[] input;
        try {
            input = Base64.getUrlDecoder().decode(body.path("value").asText());
        } catch (IllegalArgumentException e) {
            error(exchange, 400, "BadParameter", "Property value has invalid value.");
            return;
        }
        byte[] output;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            if (operation.equals("wrapkey")) {
                rsa.init(Cipher.ENCRYPT_MODE, version.pair().getPublic(), OAEP_256);
            } else {
                rsa.init(Cipher.DECRYPT_MODE, version.pair().getPrivate(), OAEP_256);
            }
            output = rsa.doFinal(input);
        } catch (GeneralSecurityException e) {
            error(exchange, 400, "BadParameter", "The parameter is incorrect.");
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("kid", kid(name, version));
        answer.put("value", Base64.getUrlEncoder().withoutPadding().encodeToString(output));
        respond(exchange, 200, answer, "application/json; charset=utf-8");
    }

    private void token(HttpExchange exchange, String tenant) throws IOException {
        String form;
        try (InputStream in = exchange.getRequestBody()) {
            form = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> fields = query(form);
        requests.add(new Request(
                "POST",
                exchange.getRequestURI().getPath(),
                "token",
                true,
                JSON.valueToTree(Map.of("tenant", tenant, "scope", fields.getOrDefault("scope", "")))));
        if (!"client_credentials".equals(fields.get("grant_type")) || !SCOPE.equals(fields.get("scope"))) {
            oauthError(exchange, 400, "invalid_request", "AADSTS900144: grant_type or scope is missing or wrong.");
            return;
        }
        if (!TENANT.equals(tenant)
                || !CLIENT_ID.equals(fields.get("client_id"))
                || !CLIENT_SECRET.equals(fields.get("client_secret"))) {
            oauthError(exchange, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
            return;
        }
        String token = "kv-test-token-" + UUID.randomUUID();
        tokens.add(token);
        ObjectNode answer = JSON.createObjectNode()
                .put("token_type", "Bearer")
                .put("expires_in", 3599)
                .put("ext_expires_in", 3599)
                .put("access_token", token);
        respond(exchange, 200, answer, "application/json; charset=utf-8");
    }

    private ObjectNode bundle(String name, Version version) {
        RSAPublicKey key = (RSAPublicKey) version.pair().getPublic();
        ObjectNode bundle = JSON.createObjectNode();
        ObjectNode jwk = bundle.putObject("key");
        jwk.put("kid", kid(name, version));
        jwk.put("kty", "RSA");
        ArrayNode ops = jwk.putArray("key_ops");
        List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey").forEach(ops::add);
        jwk.put("n", base64Url(key.getModulus()));
        jwk.put("e", base64Url(key.getPublicExponent()));
        bundle.set("attributes", attributes(version));
        return bundle;
    }

    private static ObjectNode attributes(Version version) {
        return JSON.createObjectNode()
                .put("enabled", version.enabled())
                .put("created", version.created())
                .put("updated", version.created())
                .put("recoveryLevel", "Recoverable+Purgeable")
                .put("recoverableDays", 90);
    }

    private String kid(String name, Version version) {
        return vaultUrl() + "/keys/" + name + "/" + version.id();
    }

    private static Version find(List<Version> versions, String id) {
        return versions.stream().filter(v -> v.id().equals(id)).findFirst().orElse(null);
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("code", code).put("message", message);
        respond(exchange, status, error, "application/json; charset=utf-8");
    }

    private static void oauthError(HttpExchange exchange, int status, String code, String description)
            throws IOException {
        respond(
                exchange,
                status,
                JSON.createObjectNode().put("error", code).put("error_description", description),
                "application/json; charset=utf-8");
    }
}
