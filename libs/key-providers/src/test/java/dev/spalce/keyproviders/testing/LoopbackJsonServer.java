package dev.spalce.keyproviders.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/** What the KMS test servers share: an HTTP (or HTTPS) server on a free loopback port, JSON in and out. */
public abstract class LoopbackJsonServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final AtomicInteger throttleNext = new AtomicInteger();

    LoopbackJsonServer(String what) {
        this(what, null);
    }

    /** A server speaking HTTPS with {@code tls}'s certificate; plain HTTP if {@code tls} is null. */
    LoopbackJsonServer(String what, SSLContext tls) {
        try {
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls == null) {
                server = HttpServer.create(loopback, 0);
            } else {
                HttpsServer https = HttpsServer.create(loopback, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not start the " + what, e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange);
            }
        });
        server.setExecutor(threads);
    }

    /** Starts serving; subclasses call it once constructed. */
    final void listen() {
        server.start();
    }

    /** The server's base address, {@code http://127.0.0.1:<port>} (or {@code https://}). */
    final URI baseUri() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code count} requests are answered as throttled, the way the real service refuses too many. */
    public final void throttleNext(int count) {
        throttleNext.set(count);
    }

    /** Whether to answer this request as throttled: counts one off {@link #throttleNext}. */
    final boolean throttleThisRequest() {
        return throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    /** Forgets the requests recorded so far. */
    public abstract void clearRequests();

    /** Answers one request; the exchange is closed afterwards. */
    abstract void handle(HttpExchange exchange) throws IOException;

    /** The request body, or an empty JSON object when there is none. */
    static JsonNode requestJson(HttpExchange exchange) throws IOException {
        byte[] input;
        try (InputStream in = exchange.getRequestBody()) {
            input = in.readAllBytes();
        }
        return input.length == 0 ? JSON.createObjectNode() : JSON.readTree(input);
    }

    /** The fields of a query string or form body ({@code a=1&b=2}), URL-decoded; empty for null. */
    static java.util.Map<String, String> query(String raw) {
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    fields.put(
                            java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(
                                    pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return fields;
    }

    static void respond(HttpExchange exchange, int status, JsonNode body, String contentType) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
