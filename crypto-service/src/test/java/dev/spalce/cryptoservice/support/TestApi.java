package dev.spalce.cryptoservice.support;

import static io.restassured.RestAssured.given;

import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.OidcTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Calls of crypto-service's internal API as its real callers make them, with real tokens from the OIDC server. */
public final class TestApi {

    public static final String EVIDENCE = "spalce-evidence-service";
    public static final String GATEWAY = "spalce-auth-gateway";
    public static final String REWRAP_WORKER = "spalce-rewrap-worker";
    public static final String PROBLEM_BASE = "https://spalce.dev/problems/";

    /** Tokens live 300 s; reuse one for a minute. */
    private static final Duration TOKEN_REUSE = Duration.ofSeconds(60);

    private static final Map<String, Map.Entry<Instant, String>> TOKENS = new ConcurrentHashMap<>();

    private TestApi() {}

    /** A real access token of the service identity {@code clientId}. */
    public static String token(String clientId) {
        Map.Entry<Instant, String> cached = TOKENS.get(clientId);
        if (cached != null && cached.getKey().plus(TOKEN_REUSE).isAfter(Instant.now())) {
            return cached.getValue();
        }
        String token = OidcTokens.service(clientId);
        TOKENS.put(clientId, Map.entry(Instant.now(), token));
        return token;
    }

    public static String newWorkspace() {
        return UUID.randomUUID().toString();
    }

    /** Registers a CMK the provider creates, as the workspace's Owner through the gateway; returns the key view. */
    public static JsonPath register(String workspace, String provider) {
        return given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .contentType(ContentType.JSON)
                .body(Map.of("provider", provider))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys", workspace)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /**
     * Registers a CMK as the workspace's Owner through the gateway: {@code keyReference} names an existing key,
     * or null lets {@code provider} create one.
     */
    public static Response registerResponse(String workspace, String provider, String keyReference) {
        return keyRequest(workspace, "", provider, keyReference);
    }

    /**
     * Changes the workspace's CMK for another key as its Owner through the gateway: {@code keyReference} names an
     * existing key, or null lets {@code provider} create one.
     */
    public static Response changeResponse(String workspace, String provider, String keyReference) {
        return keyRequest(workspace, "/changes", provider, keyReference);
    }

    private static Response keyRequest(String workspace, String path, String provider, String keyReference) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider", provider);
        if (keyReference != null) {
            body.put("keyReference", keyReference);
        }
        return given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/internal/v1/workspaces/{ws}/keys" + path, workspace);
    }

    /** The workspace's key, read with the gateway's own service identity. */
    public static JsonPath cmk(String workspace) {
        return given().auth()
                .oauth2(token(GATEWAY))
                .when()
                .get("/internal/v1/workspaces/{ws}/keys", workspace)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Rotates now, as the workspace's Owner through the gateway. */
    public static JsonPath rotate(String workspace) {
        return given().auth()
                .oauth2(GatewayTokens.owner(workspace))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys/rotations", workspace)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /**
     * A minted data key.
     *
     * @param plaintext the DEK
     * @param wrapped the wrapped DEK, base64
     * @param kmsKeyId the version that wrapped it
     */
    public record Minted(byte[] plaintext, String wrapped, String kmsKeyId, String recordType, String recordId) {
        public Map<String, Object> item() {
            return item(wrapped);
        }

        public Map<String, Object> item(String wrappedDek) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kmsKeyId", kmsKeyId);
            item.put("wrappedDek", wrappedDek);
            item.put("recordType", recordType);
            item.put("recordId", recordId);
            return item;
        }
    }

    public static Response mintResponse(String workspace, String recordType, String recordId) {
        return given().auth()
                .oauth2(token(EVIDENCE))
                .contentType(ContentType.JSON)
                .body(Map.of("recordType", recordType, "recordId", recordId))
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys", workspace);
    }

    public static Minted mint(String workspace, String recordType, String recordId) {
        JsonPath json = mintResponse(workspace, recordType, recordId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        return new Minted(
                Base64.getDecoder().decode(json.getString("plaintextDek")),
                json.getString("wrappedDek"),
                json.getString("kmsKeyId"),
                recordType,
                recordId);
    }

    public static Response unwrapResponse(String workspace, List<Map<String, Object>> items) {
        return given().auth()
                .oauth2(token(EVIDENCE))
                .contentType(ContentType.JSON)
                .body(Map.of("items", items))
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys/unwrap", workspace);
    }

    public static JsonPath unwrap(String workspace, List<Map<String, Object>> items) {
        return unwrapResponse(workspace, items).then().statusCode(200).extract().jsonPath();
    }

    public static Response rewrapResponse(String workspace, List<Map<String, Object>> items) {
        return given().auth()
                .oauth2(token(REWRAP_WORKER))
                .contentType(ContentType.JSON)
                .body(Map.of("items", items))
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys/rewrap", workspace);
    }

    /** The plaintext DEKs of an unwrap answer, in order (null where an item failed). */
    public static List<byte[]> plaintexts(JsonPath unwrapped) {
        List<byte[]> deks = new ArrayList<>();
        for (Object text : unwrapped.getList("items.plaintextDek")) {
            deks.add(text == null ? null : Base64.getDecoder().decode((String) text));
        }
        return deks;
    }

    /** The DEK of {@code old} as item {@code index} of a rewrap answer moved it: same record, new wrapping. */
    public static Minted moved(Minted old, JsonPath rewrapped, int index) {
        return new Minted(
                old.plaintext(),
                rewrapped.getString("items[" + index + "].wrappedDek"),
                rewrapped.getString("items[" + index + "].kmsKeyId"),
                old.recordType(),
                old.recordId());
    }

    /**
     * After a rotation and a rewrap: a DEK minted before, one minted after and the rewrapped one all unwrap in one
     * batch, and a modified wrapped DEK beside them fails alone as a bad wrapped key.
     */
    public static void assertOldFreshAndMovedUnwrap(String workspace, Minted old, Minted fresh, Minted moved) {
        JsonPath unwrapped = unwrap(
                workspace, List.of(old.item(), fresh.item(), moved.item(), fresh.item(tampered(fresh.wrapped(), 20))));
        org.assertj.core.api.Assertions.assertThat(plaintexts(unwrapped).subList(0, 3))
                .containsExactly(old.plaintext(), fresh.plaintext(), old.plaintext());
        org.assertj.core.api.Assertions.assertThat(unwrapped.getString("items[3].error.type"))
                .isEqualTo(PROBLEM_BASE + "bad-wrapped-key");
    }

    /** The wrapped DEK with one bit of byte {@code index} flipped. */
    public static String tampered(String wrappedBase64, int index) {
        byte[] bytes = Base64.getDecoder().decode(wrappedBase64);
        bytes[index] ^= 0x01;
        return Base64.getEncoder().encodeToString(bytes);
    }
}
