package dev.spalce.keyproviders.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.keyproviders.remote.JdkHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Vault's HTTP API over the JDK's HTTP client: {@code /v1/<path>}, JSON bodies, {@code X-Vault-Token} and
 * {@code X-Vault-Namespace} headers, errors as a non-2xx status with {@code {"errors": [...]}}.
 */
public final class VaultHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Vault answered with an error status; {@code errors} are Vault's messages (they never hold key material). */
    public static final class VaultException extends RuntimeException {
        private final int status;
        private final List<String> errors;

        public VaultException(int status, List<String> errors) {
            super("Vault answered " + status + ": " + String.join("; ", errors));
            this.status = status;
            this.errors = List.copyOf(errors);
        }

        public int status() {
            return status;
        }

        public List<String> errors() {
            return errors;
        }

        /** Whether one of Vault's messages contains {@code text}. */
        public boolean says(String text) {
            return errors.stream().anyMatch(error -> error.contains(text));
        }
    }

    private final URI address;
    private final Optional<String> namespace;
    private final Duration attemptTimeout;
    private final HttpClient client;

    /**
     * @param address Vault's address, e.g. {@code https://vault.example.com:8200}
     * @param namespace the Vault Enterprise namespace, if any
     * @param attemptTimeout the deadline of one request, connection included
     */
    public VaultHttp(URI address, Optional<String> namespace, Duration attemptTimeout) {
        this.address = Objects.requireNonNull(address, "address");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.attemptTimeout = Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        this.client = HttpClient.newBuilder()
                .connectTimeout(attemptTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** POSTs a JSON body; returns the answer's JSON. */
    public JsonNode post(String path, JsonNode body, Optional<String> token) {
        try {
            return JSON.readTree(send("POST", path, JSON.writeValueAsBytes(body), token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GETs; returns the answer's JSON. */
    public JsonNode get(String path, Optional<String> token) {
        try {
            return JSON.readTree(send("GET", path, null, token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends one request and returns the raw answer body (the caller zeroes it when it holds a secret).
     *
     * @param body the raw JSON body, or null; sent as is, without a copy, so the caller may zero it afterwards
     * @throws VaultException on a non-2xx answer
     * @throws UncheckedIOException when Vault does not answer in time or at all
     */
    public byte[] send(String method, String path, byte[] body, Optional<String> token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(address.resolve("/v1/" + path))
                .timeout(attemptTimeout)
                .header("Accept", "application/json");
        token.ifPresent(value -> request.header("X-Vault-Token", value));
        namespace.ifPresent(value -> request.header("X-Vault-Namespace", value));
        HttpResponse<byte[]> response = JdkHttp.send(client, request, method, body, "Vault");
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body().length == 0
                    ? "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII)
                    : response.body();
        }
        throw new VaultException(status, errors(response.body()));
    }

    private static List<String> errors(byte[] body) {
        List<String> errors = new ArrayList<>();
        try {
            JSON.readTree(body).path("errors").forEach(error -> errors.add(error.asText()));
        } catch (IOException | RuntimeException e) {
            errors.add("(no JSON error body)");
        }
        return errors;
    }
}
