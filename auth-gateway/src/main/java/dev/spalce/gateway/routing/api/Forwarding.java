package dev.spalce.gateway.routing.api;

import dev.spalce.kit.api.TrustedProxies;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * How the gateway passes one HTTP exchange on, for every route that forwards one: which request headers cross,
 * and how bodies stream both ways in bounded memory. The workspace routes and the dashboard's way into the API
 * both forward through here, so that what one learns (a GET must not go on chunked, a broken-off body must stay
 * broken off) holds for both.
 */
public final class Forwarding {

    private static final Logger LOG = Logger.getLogger(Forwarding.class);

    /**
     * Never forwarded: headers that describe one connection (RFC 9110 §7.6.1), the caller's credentials (the
     * forwarder sets its own), the client address headers (the forwarder sets the one it believes), the gateway's
     * proof of a call to itself ({@link TrustedProxies#SELF_RELAY_HEADER}, set only by the dashboard's relay) and
     * the request id (the forwarder sets the one it logs under).
     */
    private static final Set<String> WITHHELD = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "authorization",
            "cookie",
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-host",
            "x-forwarded-proto",
            TrustedProxies.SELF_RELAY_HEADER.toLowerCase(Locale.ROOT),
            "x-request-id");

    /** The largest piece a streamed body is read in (quarkus.http.limits.max-chunk-size for the gateway's own port). */
    public static final int BODY_PIECE_BYTES = 64 * 1024;

    /**
     * How much of a streamed body may wait to be written to the slower side before the faster one is paused:
     * Netty's default (64 KiB) pauses and resumes the reading side every few pieces, each time a hand-over between
     * event loops; 1 MiB a stream keeps memory bounded while each side runs ahead of the other by many pieces.
     */
    static final int WRITE_QUEUE_BYTES = 1024 * 1024;

    private Forwarding() {}

    /** Copies the headers of one side to the other but those always withheld and {@code alsoWithheld} (lower case). */
    public static void copyEndToEnd(MultiMap from, MultiMap to, Set<String> alsoWithheld) {
        copyHeaders(from, to, name -> !WITHHELD.contains(name) && !alsoWithheld.contains(name));
    }

    /** Copies the headers whose lower-case name {@code relayed} accepts. */
    public static void copyHeaders(MultiMap from, MultiMap to, Predicate<String> relayed) {
        from.forEach((name, value) -> {
            if (relayed.test(name.toLowerCase(Locale.ROOT))) {
                to.add(name, value);
            }
        });
    }

    /**
     * Sends {@code outbound} with the caller's body streamed into it, or with none when the caller sent none. A
     * caller says it sends a body with a length or a transfer coding; a GET or a DELETE has neither, and goes on
     * without one: streamed, it would go chunked, and an endpoint that takes no body would see one of unknown
     * length. A body of unknown length goes on chunked.
     */
    public static Future<HttpClientResponse> send(HttpServerRequest request, HttpClientRequest outbound) {
        boolean hasLength = request.headers().contains(HttpHeaders.CONTENT_LENGTH);
        if (!hasLength && !request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            request.resume();
            return outbound.send();
        }
        if (!hasLength) {
            outbound.setChunked(true);
        }
        outbound.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        return outbound.send(request);
    }

    /**
     * Streams the answer's body to the caller, after the caller's status and headers are set. A body the service
     * broke off (e.g. a download whose ciphertext failed authentication) is broken off here too: ending it would
     * hand the caller a clean end of a truncated body.
     */
    public static void relayBody(HttpClientResponse inbound, HttpServerResponse response) {
        if (!inbound.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        inbound.pipe().endOnFailure(false).to(response).onFailure(failure -> {
            LOG.warnf("the forwarded response broke off: %s", failure.toString());
            response.reset();
        });
    }
}
