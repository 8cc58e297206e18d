package dev.spalce.benchmarks.gateway;

import static dev.spalce.benchmarks.LocalSuite.presenting;
import static dev.spalce.benchmarks.LocalSuite.trustingOnly;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A closed-loop HTTPS load generator for the gateway overhead benchmark ({@code benchmarks/gateway/overhead.sh}):
 * wrk cannot present a client certificate, and the internal services take mutual TLS only, so every path of that
 * benchmark is driven by this one tool, for figures that compare.
 *
 * <p>{@code CONNECTIONS} threads each send GETs one after the other for the duration (after an unrecorded warm-up),
 * either over one kept-alive connection each ({@code reuse}) or over a new connection per request whose TLS session
 * is then dropped, so that every request pays a full handshake ({@code handshake}): the cost of (mutual) TLS per
 * connection. Prints one line, {@code requests/s p50 p99 non-2xx}, the latencies as wrk prints them ({@code 1.23ms}).
 *
 * <pre>
 * TlsLoad URL TOKEN CA_PEM reuse|handshake CONNECTIONS SECONDS WARMUP_SECONDS [CLIENT_CERT_PEM CLIENT_KEY_PEM]
 * </pre>
 *
 * <p>With {@code -Dtlsload.json=BODY} every request is a POST of that JSON body instead of a GET (the mint benchmark,
 * {@code benchmarks/mint/run.sh}).
 */
public final class TlsLoad {

    private final URI url;
    private final String request;
    private final SSLContext tls;
    private final boolean handshakePerRequest;

    private TlsLoad(URI url, String token, SSLContext tls, boolean handshakePerRequest) {
        this.url = url;
        this.tls = tls;
        this.handshakePerRequest = handshakePerRequest;
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        String json = System.getProperty("tlsload.json");
        String body = json == null
                ? ""
                : "Content-Type: application/json\r\nContent-Length: " + json.getBytes(StandardCharsets.UTF_8).length
                        + "\r\n";
        this.request = (json == null ? "GET " : "POST ") + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":"
                + url.getPort() + "\r\nAuthorization: Bearer " + token + "\r\nAccept: application/json\r\n"
                + body + (handshakePerRequest ? "Connection: close\r\n" : "") + "\r\n" + (json == null ? "" : json);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7 && args.length != 9) {
            throw new IllegalArgumentException("usage: URL TOKEN CA_PEM reuse|handshake CONNECTIONS SECONDS "
                    + "WARMUP_SECONDS [CLIENT_CERT_PEM CLIENT_KEY_PEM]");
        }
        SSLContext tls = args.length == 9
                ? presenting(Path.of(args[2]), Path.of(args[7]), Path.of(args[8]))
                : trustingOnly(Path.of(args[2]));
        boolean handshake = switch (args[3]) {
            case "reuse" -> false;
            case "handshake" -> true;
            default -> throw new IllegalArgumentException("connection mode: reuse or handshake, not " + args[3]);
        };
        TlsLoad load = new TlsLoad(URI.create(args[0]), args[1], tls, handshake);
        int connections = Integer.parseInt(args[4]);
        load.run(connections, Integer.parseInt(args[6]), false);
        System.out.println(load.run(connections, Integer.parseInt(args[5]), true));
    }

    /** Runs the loop on every connection for {@code seconds}; the summary line when {@code report}. */
    private String run(int connections, int seconds, boolean report) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong failed = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Worker worker = new Worker(end, failed);
            workers.add(worker);
            Thread thread = new Thread(worker, "load-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (Worker worker : workers) {
            if (worker.error != null) {
                throw new IllegalStateException("a connection failed: " + worker.error, worker.error);
            }
            latencies.add(Arrays.copyOf(worker.latencies, worker.count));
        }
        if (!report) {
            return "";
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (all.length == 0) {
            throw new IllegalStateException("no request completed in " + seconds + " s");
        }
        return String.format(
                Locale.ROOT,
                "%.2f %s %s %d",
                all.length / (double) seconds,
                millis(percentile(all, 0.50)),
                millis(percentile(all, 0.99)),
                failed.get());
    }

    private static long percentile(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
    }

    /** One connection's closed loop. */
    private final class Worker implements Runnable {
        private final long end;
        private final AtomicLong failed;
        private long[] latencies = new long[1 << 14];
        private int count;
        private Exception error;

        Worker(long end, AtomicLong failed) {
            this.end = end;
            this.failed = failed;
        }

        @Override
        public void run() {
            byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
            SSLSocket socket = null;
            try {
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    if (socket == null) {
                        socket = (SSLSocket) tls.getSocketFactory().createSocket(url.getHost(), url.getPort());
                        socket.setTcpNoDelay(true);
                        // The server's name is verified, as a real client does (the certificates name 127.0.0.1).
                        SSLParameters parameters = socket.getSSLParameters();
                        parameters.setEndpointIdentificationAlgorithm("HTTPS");
                        socket.setSSLParameters(parameters);
                        socket.startHandshake();
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(bytes);
                    out.flush();
                    int status = readResponse(new BufferedInputStream(socket.getInputStream(), 8192));
                    if (handshakePerRequest) {
                        // The next request must pay a full handshake, not resume this session.
                        socket.getSession().invalidate();
                        socket.close();
                        socket = null;
                    }
                    record(System.nanoTime() - start);
                    if (status < 200 || status > 299) {
                        failed.incrementAndGet();
                    }
                }
            } catch (IOException | RuntimeException e) {
                error = e;
            } finally {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing at the end of the run
                    }
                }
            }
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }

    /**
     * Reads one HTTP/1.1 response (its body by Content-Length or chunked) and returns its status. The stream may be
     * buffered afresh per response: the loop sends the next request only after this response, so no byte of the
     * next one can be in the buffer.
     */
    static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 response: " + status);
        }
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(
                        lower.substring("content-length:".length()).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).split(";")[0].strip(), 16);
                    size > 0;
                    size = Long.parseLong(line(in).split(";")[0].strip(), 16)) {
                skip(in, size);
                line(in);
            }
            // trailers, up to the empty line
            for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                // ignored
            }
        } else if (length > 0) {
            skip(in, length);
        }
        return Integer.parseInt(status.substring(9, 12));
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("the connection closed inside a response body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("the connection closed inside a response");
            }
            if (b != '\r') {
                text.write(b);
            }
        }
        return text.toString(StandardCharsets.ISO_8859_1);
    }
}
