package dev.spalce.keyproviders.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A small AWS KMS for tests, on loopback: the AWS JSON 1.1 protocol of the real service ({@code POST /} with
 * {@code X-Amz-Target: TrentService.<Operation>}, {@code application/x-amz-json-1.1} bodies, errors as HTTP 400/500
 * with {@code __type}), for the operations Spalce uses: Encrypt, Decrypt, ReEncrypt, DescribeKey, ListKeyRotations
 * (paged two at a time, so clients must follow {@code NextMarker}) and RotateKeyOnDemand, plus CreateKey for
 * tests to make keys.
 *
 * <p>It encrypts for real: every key has AES-256 key materials, one per rotation; a ciphertext blob is
 * {@code len(arn) || arn || material index || nonce || AES-GCM(plaintext)} with the key ARN and the canonical
 * encryption context as AAD, so that the wrong key, context or a modified blob fails as the real service fails
 * ({@code InvalidCiphertextException}, {@code IncorrectKeyException}). It requires a SigV4 {@code Authorization}
 * header scoped to service {@code kms} (its structure, not the HMAC) and answers
 * {@code ThrottlingException} on demand. Not a KMS: its keys live in memory and protect nothing.
 */
public final class AwsKmsTestServer extends LoopbackJsonServer {

    public static final String ACCOUNT = "111122223333";
    public static final String REGION = "eu-west-1";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SIGV4 = Pattern.compile("AWS4-HMAC-SHA256 Credential=[A-Z0-9]{16,128}/[0-9]{8}/"
            + REGION + "/kms/aws4_request, " + "SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}");
    private static final int PAGE_SIZE = 2;

    /** One request as the server saw it. */
    public record Request(String operation, JsonNode body, String sdkRequestHeader, long receivedAtNanos) {}

    private static final class Key {
        final String arn;
        final List<SecretKey> materials = new CopyOnWriteArrayList<>();
        /** The id AWS gives each key material (64 hex digits), index for index. */
        final List<String> materialIds = new CopyOnWriteArrayList<>();

        final List<Instant> rotations = new CopyOnWriteArrayList<>();
        volatile boolean enabled = true;

        Key(String arn) {
            this.arn = arn;
        }
    }

    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile long failingUntil = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();

    private AwsKmsTestServer() {
        super("AWS KMS test server");
    }

    /** Starts a server on a free loopback port. */
    public static AwsKmsTestServer start() {
        AwsKmsTestServer kms = new AwsKmsTestServer();
        kms.listen();
        return kms;
    }

    public URI endpoint() {
        return baseUri();
    }

    /** Creates a symmetric encryption key with one key material; returns its ARN. */
    public String createKey() {
        String arn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + UUID.randomUUID();
        Key key = new Key(arn);
        addMaterial(key);
        keys.put(arn, key);
        return arn;
    }

    /** Creates a multi-Region primary key ({@code mrk-} key id) in this server's Region; returns its ARN. */
    public String createMultiRegionKey() {
        String arn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/mrk-"
                + UUID.randomUUID().toString().replace("-", "");
        Key key = new Key(arn);
        addMaterial(key);
        keys.put(arn, key);
        return arn;
    }

    /** Disables or enables a key, as its owner would in the console. */
    public void setEnabled(String arn, boolean enabled) {
        keys.get(arn).enabled = enabled;
    }

    /**
     * An outage of {@code duration} from now: every request is refused, in turn with {@code ThrottlingException}
     * (400) and {@code KMSInternalException} (500), as AWS KMS answers when overloaded or failing (the fault suite).
     */
    public void failFor(java.time.Duration duration) {
        failingUntil = System.nanoTime() + duration.toNanos();
    }

    /** Every request so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests of one operation ({@code Encrypt}, ...). */
    public List<Request> requests(String operation) {
        return requests.stream().filter(r -> r.operation().equals(operation)).toList();
    }

    @Override
    public void clearRequests() {
        requests.clear();
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        JsonNode body = requestJson(exchange);
        if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith("TrentService.")) {
            respond(exchange, 400, error("UnknownOperationException", "not an AWS KMS request"));
            return;
        }
        String operation = target.substring("TrentService.".length());
        requests.add(new Request(
                operation, body, exchange.getRequestHeaders().getFirst("amz-sdk-request"), System.nanoTime()));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null
                || !SIGV4.matcher(authorization).matches()
                || exchange.getRequestHeaders().getFirst("X-Amz-Date") == null) {
            respond(
                    exchange,
                    400,
                    error(
                            "IncompleteSignatureException",
                            "requests must be signed with AWS Signature Version 4 for service kms in " + REGION));
            return;
        }
        if (throttleThisRequest()) {
            respond(exchange, 400, error("ThrottlingException", "Rate exceeded"));
            return;
        }
        if (System.nanoTime() - failingUntil < 0) {
            if (failed.getAndIncrement() % 2 == 0) {
                respond(exchange, 400, error("ThrottlingException", "Rate exceeded"));
            } else {
                respond(exchange, 500, error("KMSInternalException", "We encountered an internal error"));
            }
            return;
        }
        try {
            respond(exchange, 200, dispatch(operation, body));
        } catch (KmsError e) {
            respond(exchange, e.status, error(e.type, e.getMessage()));
        }
    }

    private ObjectNode dispatch(String operation, JsonNode body) throws KmsError {
        return switch (operation) {
            case "Encrypt" -> encrypt(body);
            case "Decrypt" -> decrypt(body);
            case "ReEncrypt" -> reEncrypt(body);
            case "DescribeKey" -> describeKey(body);
            case "ListKeyRotations" -> listKeyRotations(body);
            case "RotateKeyOnDemand" -> rotateKeyOnDemand(body);
            default -> throw new KmsError(400, "UnknownOperationException", "operation " + operation);
        };
    }

    private ObjectNode encrypt(JsonNode body) throws KmsError {
        Key key = usableKey(text(body, "KeyId"));
        byte[] plaintext = Base64.getDecoder().decode(text(body, "Plaintext"));
        if (plaintext.length < 1 || plaintext.length > 4096) {
            throw new KmsError(400, "ValidationException", "Plaintext must be 1 to 4096 bytes");
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put(
                "CiphertextBlob",
                Base64.getEncoder().encodeToString(seal(key, plaintext, body.get("EncryptionContext"))));
        answer.put("KeyId", key.arn);
        answer.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return answer;
    }

    private ObjectNode decrypt(JsonNode body) throws KmsError {
        Opened opened = open(body.get("CiphertextBlob"), body.get("KeyId"), body.get("EncryptionContext"));
        ObjectNode answer = JSON.createObjectNode();
        answer.put("KeyId", opened.key.arn);
        answer.put("KeyMaterialId", opened.key.materialIds.get(opened.material));
        answer.put("Plaintext", Base64.getEncoder().encodeToString(opened.plaintext));
        answer.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return answer;
    }

    private ObjectNode reEncrypt(JsonNode body) throws KmsError {
        Opened opened = open(body.get("CiphertextBlob"), body.get("SourceKeyId"), body.get("SourceEncryptionContext"));
        Key destination = usableKey(text(body, "DestinationKeyId"));
        ObjectNode answer = JSON.createObjectNode();
        answer.put(
                "CiphertextBlob",
                Base64.getEncoder()
                        .encodeToString(seal(destination, opened.plaintext, body.get("DestinationEncryptionContext"))));
        answer.put("SourceKeyId", opened.key.arn);
        answer.put("SourceKeyMaterialId", opened.key.materialIds.get(opened.material));
        answer.put("DestinationKeyMaterialId", destination.materialIds.get(destination.materialIds.size() - 1));
        answer.put("KeyId", destination.arn);
        answer.put("SourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        answer.put("DestinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return answer;
    }

    private ObjectNode describeKey(JsonNode body) throws KmsError {
        Key key = knownKey(text(body, "KeyId"));
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("AWSAccountId", ACCOUNT);
        metadata.put("KeyId", key.arn.substring(key.arn.indexOf("key/") + 4));
        metadata.put("Arn", key.arn);
        metadata.put("CreationDate", Instant.now().getEpochSecond());
        metadata.put("Enabled", key.enabled);
        metadata.put("KeyUsage", "ENCRYPT_DECRYPT");
        metadata.put("KeySpec", "SYMMETRIC_DEFAULT");
        metadata.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
        metadata.put("KeyState", key.enabled ? "Enabled" : "Disabled");
        metadata.put("KeyManager", "CUSTOMER");
        metadata.put("Origin", "AWS_KMS");
        metadata.putArray("EncryptionAlgorithms").add("SYMMETRIC_DEFAULT");
        ObjectNode answer = JSON.createObjectNode();
        answer.set("KeyMetadata", metadata);
        return answer;
    }

    private ObjectNode listKeyRotations(JsonNode body) throws KmsError {
        Key key = knownKey(text(body, "KeyId"));
        int from =
                body.hasNonNull("Marker") ? Integer.parseInt(body.get("Marker").asText()) : 0;
        // ROTATIONS_ONLY (the default) lists the materials rotations made; ALL_KEY_MATERIAL adds the first one,
        // which has no rotation date. Material i + 1 is the one rotation i made.
        boolean allMaterials = body.hasNonNull("IncludeKeyMaterial")
                && "ALL_KEY_MATERIAL".equals(body.get("IncludeKeyMaterial").asText());
        List<Integer> all = new ArrayList<>();
        for (int material = allMaterials ? 0 : 1; material < key.materialIds.size(); material++) {
            all.add(material);
        }
        int to = Math.min(all.size(), from + PAGE_SIZE);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode rotations = answer.putArray("Rotations");
        for (int material : all.subList(from, to)) {
            ObjectNode entry = rotations
                    .addObject()
                    .put("KeyId", key.arn)
                    .put("KeyMaterialId", key.materialIds.get(material))
                    .put("KeyMaterialState", material == key.materialIds.size() - 1 ? "CURRENT" : "NON_CURRENT");
            if (material > 0) {
                entry.put("RotationDate", key.rotations.get(material - 1).getEpochSecond())
                        .put("RotationType", "ON_DEMAND");
            }
        }
        answer.put("Truncated", to < all.size());
        if (to < all.size()) {
            answer.put("NextMarker", Integer.toString(to));
        }
        return answer;
    }

    private ObjectNode rotateKeyOnDemand(JsonNode body) throws KmsError {
        Key key = usableKey(text(body, "KeyId"));
        addMaterial(key);
        key.rotations.add(Instant.now());
        ObjectNode answer = JSON.createObjectNode();
        answer.put("KeyId", key.arn);
        return answer;
    }

    private record Opened(Key key, int material, byte[] plaintext) {}

    private Opened open(JsonNode blobField, JsonNode keyIdField, JsonNode context) throws KmsError {
        if (blobField == null) {
            throw new KmsError(400, "ValidationException", "CiphertextBlob is required");
        }
        ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(blobField.asText()));
        String arn;
        int material;
        byte[] nonce = new byte[12];
        byte[] sealed;
        try {
            byte[] arnBytes = new byte[blob.getShort()];
            blob.get(arnBytes);
            arn = new String(arnBytes, StandardCharsets.UTF_8);
            material = blob.getInt();
            blob.get(nonce);
            sealed = new byte[blob.remaining()];
            blob.get(sealed);
        } catch (RuntimeException e) {
            throw new KmsError(400, "InvalidCiphertextException", null);
        }
        Key key = keys.get(arn);
        if (key == null || material < 0 || material >= key.materials.size()) {
            throw new KmsError(400, "InvalidCiphertextException", null);
        }
        if (keyIdField != null && !keyIdField.asText().equals(arn)) {
            throw new KmsError(
                    400,
                    "IncorrectKeyException",
                    "The key ID in the request does not identify a KMS key that can perform this operation.");
        }
        if (!key.enabled) {
            throw new KmsError(400, "DisabledException", key.arn + " is disabled.");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.materials.get(material), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(arn, context));
            return new Opened(key, material, cipher.doFinal(sealed));
        } catch (AEADBadTagException e) {
            throw new KmsError(400, "InvalidCiphertextException", null);
        } catch (GeneralSecurityException e) {
            throw new KmsError(500, "KMSInternalException", "internal error");
        }
    }

    private static byte[] seal(Key key, byte[] plaintext, JsonNode context) throws KmsError {
        int material = key.materials.size() - 1;
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.materials.get(material), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(key.arn, context));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] arn = key.arn.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(2 + arn.length + 4 + 12 + sealed.length)
                    .putShort((short) arn.length)
                    .put(arn)
                    .putInt(material)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new KmsError(500, "KMSInternalException", "internal error");
        }
    }

    /** The key ARN and the encryption context (sorted, as the real service treats it: order does not matter). */
    private static byte[] aad(String arn, JsonNode context) {
        Map<String, String> sorted = new TreeMap<>();
        if (context != null) {
            context.fields()
                    .forEachRemaining(
                            entry -> sorted.put(entry.getKey(), entry.getValue().asText()));
        }
        try {
            return JSON.writeValueAsBytes(Map.of("arn", arn, "context", sorted));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Key knownKey(String keyId) throws KmsError {
        Key key = keys.get(keyId);
        if (key == null) {
            throw new KmsError(400, "NotFoundException", "Key '" + keyId + "' does not exist");
        }
        return key;
    }

    private Key usableKey(String keyId) throws KmsError {
        Key key = knownKey(keyId);
        if (!key.enabled) {
            throw new KmsError(400, "DisabledException", key.arn + " is disabled.");
        }
        return key;
    }

    private static String text(JsonNode body, String field) throws KmsError {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new KmsError(400, "ValidationException", field + " is required");
        }
        return value.asText();
    }

    private static void addMaterial(Key key) {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        key.materials.add(newMaterial());
        key.materialIds.add(HexFormat.of().formatHex(id));
    }

    private static SecretKey newMaterial() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", type);
        if (message != null) {
            error.put("message", message);
        }
        return error;
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (body.has("__type")) {
            exchange.getResponseHeaders()
                    .set("x-amzn-ErrorType", body.get("__type").asText());
        }
        respond(exchange, status, body, "application/x-amz-json-1.1");
    }

    private static final class KmsError extends Exception {
        final int status;
        final String type;

        KmsError(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }
    }
}
