package dev.spalce.evidence.export.client;

import dev.spalce.kit.transport.InternalTransport;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * audit-log-service's verifiable export of one workspace's log (JSON Lines with its signed checkpoints, see
 * docs/audit-log.md), read as a blocking stream with backpressure: the connection is paused while the reader (the
 * archive being written to the object store) is behind, so a log of any length passes through a few chunks of
 * memory. (The REST client's streaming {@code Multi} does not pause the connection, so a slow reader would buffer the
 * whole log.) Called over mutual TLS with this service's client-credentials token for audit-log-service's audience;
 * {@code spalce-evidence-service} is on that endpoint's allow-list.
 */
@ApplicationScoped
public class AuditLogExports {

    private static final Logger LOG = Logger.getLogger(AuditLogExports.class);

    /** Chunks held before the connection is paused, and the level at which it is resumed. */
    private static final int HIGH_WATER = 16;

    private static final int LOW_WATER = 4;

    /** How long a read waits for the next chunk before the export is given up. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client;
    private final URI auditUrl;
    private final OidcClients oidc;

    public AuditLogExports(
            Vertx vertx,
            TlsConfigurationRegistry tls,
            OidcClients oidc,
            @ConfigProperty(name = "spalce.services.audit-url") URI auditUrl) {
        this.oidc = oidc;
        this.auditUrl = auditUrl;
        this.client = vertx.createHttpClient(InternalTransport.clientOptions(
                new HttpClientOptions().setConnectTimeout(2000).setIdleTimeout((int) READ_TIMEOUT.toSeconds()),
                InternalTransport.configuration(tls)));
    }

    /** A renewed internal certificate is presented on the next new connection, without a restart. */
    void certificateRenewed(@Observes CertificateUpdatedEvent renewed) {
        if (InternalTransport.TLS_CONFIGURATION.equals(renewed.name())) {
            client.updateSSLOptions(InternalTransport.renewed(renewed.tlsConfiguration()))
                    .onFailure(failure -> LOG.errorf("could not take the renewed internal certificate: %s", failure));
        }
    }

    /**
     * Opens the workspace's whole audit export. Blocking (call it from a worker thread); the caller closes the stream.
     *
     * @throws IOException if audit-log-service cannot be reached or does not answer 200
     */
    public InputStream exportJsonLines(String workspaceId) throws IOException {
        String token;
        try {
            token = oidc.getClient("audit")
                    .getTokens()
                    .await()
                    .atMost(Duration.ofSeconds(10))
                    .getAccessToken();
        } catch (RuntimeException e) {
            throw new IOException("no service token for audit-log-service", e);
        }
        Body body = new Body();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(
                        auditUrl.resolve("/internal/v1/workspaces/" + workspaceId + "/audit-events/export.jsonl")
                                .toString())
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        client.request(request)
                .compose(HttpClientRequest::send)
                .onSuccess(response -> {
                    if (response.statusCode() != 200) {
                        body.fail(new IOException("audit-log-service answered " + response.statusCode()));
                        response.request().reset();
                    } else {
                        body.attach(response);
                    }
                })
                .onFailure(body::fail);
        return body;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** The response body as an InputStream: chunks queue up to the high-water mark, then the connection pauses. */
    private static final class Body extends InputStream {

        private static final Object END = new Object();

        private final LinkedBlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
        private volatile HttpClientResponse response;
        private volatile boolean paused;
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        void attach(HttpClientResponse response) {
            this.response = response;
            response.handler(buffer -> {
                chunks.add(buffer.getBytes());
                if (chunks.size() >= HIGH_WATER && !paused) {
                    paused = true;
                    response.pause();
                }
            });
            response.exceptionHandler(this::fail);
            response.endHandler(ignored -> chunks.add(END));
        }

        void fail(Throwable failure) {
            chunks.add(failure);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position == current.length) {
                if (ended) {
                    return -1;
                }
                Object next;
                try {
                    next = chunks.poll(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while reading the audit export", e);
                }
                if (next == null) {
                    throw new IOException("audit-log-service sent nothing for " + READ_TIMEOUT.toSeconds() + " s");
                }
                if (next == END) {
                    ended = true;
                    return -1;
                }
                if (next instanceof Throwable failure) {
                    throw new IOException("the audit export broke off: " + failure.getMessage(), failure);
                }
                current = (byte[]) next;
                position = 0;
                HttpClientResponse attached = response;
                if (paused && attached != null && chunks.size() <= LOW_WATER) {
                    paused = false;
                    attached.resume();
                }
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, target, offset, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            HttpClientResponse attached = response;
            if (!ended && attached != null) {
                // Not read to its end: drop the connection rather than drain a log nobody reads.
                attached.request().reset();
            }
        }
    }
}
