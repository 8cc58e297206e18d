package dev.spalce.kit.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whose {@code X-Forwarded-For} to believe. A client can send that header too, so it is read only when the
 * connection comes from a configured proxy ({@code spalce.http.trusted-proxies}: addresses or CIDR blocks; the
 * gateway's list is {@code SPALCE_GATEWAY_TRUSTED_PROXIES}: the load balancer or ingress in front of it), and then
 * from the right: the client is the right-most address that is not itself a trusted proxy. Without a list, or
 * from any other peer, the client is the peer, whatever the headers say.
 *
 * <p>One more relay is believed: this process itself. The gateway's dashboard calls the gateway's own API over
 * loopback, and would otherwise be audited as 127.0.0.1. It names the browser's address in
 * {@code X-Forwarded-For} and proves the call is its own with {@link #SELF_RELAY_HEADER}: a random value drawn at
 * start-up that never leaves the process (the gateway withholds the header from everything it forwards). Loopback
 * itself is not trusted: another process on the host or in the pod cannot vouch for a client.
 */
@ApplicationScoped
public class TrustedProxies {

    private record Block(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = network.length * 8;
            BigInteger mask = BigInteger.ONE
                    .shiftLeft(bits)
                    .subtract(BigInteger.ONE)
                    .shiftRight(prefixBits)
                    .not()
                    .and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    /** Carries {@link #selfRelayProof()} on a request this process relays to itself. */
    public static final String SELF_RELAY_HEADER = "X-Spalce-Self-Relay";

    private static final SecureRandom RANDOM = new SecureRandom();
    // Compiled once: every request's peer address is parsed (String.matches would compile a pattern each time).
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final List<Block> blocks;
    private final String selfRelayProof;

    public TrustedProxies(@ConfigProperty(name = "spalce.http.trusted-proxies") Optional<List<String>> proxies) {
        this.blocks = proxies.orElse(List.of()).stream()
                .map(String::strip)
                .filter(p -> !p.isEmpty())
                .map(TrustedProxies::block)
                .toList();
        byte[] proof = new byte[32];
        RANDOM.nextBytes(proof);
        this.selfRelayProof = Base64.getUrlEncoder().withoutPadding().encodeToString(proof);
    }

    /** What a request this process relays to itself carries in {@link #SELF_RELAY_HEADER}; never sent elsewhere. */
    public String selfRelayProof() {
        return selfRelayProof;
    }

    private static Block block(String text) {
        String[] parts = text.split("/", 2);
        byte[] network = literal(parts[0]);
        if (network == null) {
            throw new IllegalArgumentException(
                    "spalce.http.trusted-proxies: '" + text + "' is not an IP address or CIDR block");
        }
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException(
                    "spalce.http.trusted-proxies: '" + text + "' has an invalid prefix length");
        }
        return new Block(network, prefix);
    }

    /** An IP literal's bytes, or null: never a name lookup (an address in a header must not trigger DNS). */
    private static byte[] literal(String text) {
        String candidate = text.strip();
        if (candidate.startsWith("[") && candidate.endsWith("]")) {
            candidate = candidate.substring(1, candidate.length() - 1);
        }
        boolean ipv4 = IPV4.matcher(candidate).matches();
        boolean ipv6 = candidate.indexOf(':') >= 0 && IPV6.matcher(candidate).matches();
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(candidate).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean trusts(String address) {
        if (blocks.isEmpty()) {
            return false;
        }
        byte[] bytes = address == null ? null : literal(address);
        return bytes != null && blocks.stream().anyMatch(block -> block.contains(bytes));
    }

    /** The client's address of {@code request}: see {@link #clientAddress(String, List, String)}. */
    public String clientAddress(HttpServerRequest request) {
        String peer =
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return clientAddress(peer, request.headers().getAll("X-Forwarded-For"), request.getHeader(SELF_RELAY_HEADER));
    }

    /**
     * The client's address.
     *
     * @param peer the address of the connection's other end
     * @param forwardedFor every {@code X-Forwarded-For} header value, in order
     * @param selfRelay the request's {@link #SELF_RELAY_HEADER}, or null
     */
    public String clientAddress(String peer, List<String> forwardedFor, String selfRelay) {
        if (selfRelay != null
                && isLoopback(peer)
                && MessageDigest.isEqual(
                        selfRelay.getBytes(StandardCharsets.US_ASCII),
                        selfRelayProof.getBytes(StandardCharsets.US_ASCII))
                && forwardedFor != null
                && forwardedFor.size() == 1
                && literal(forwardedFor.get(0)) != null) {
            return forwardedFor.get(0).strip();
        }
        return clientAddress(peer, forwardedFor);
    }

    private static boolean isLoopback(String address) {
        byte[] bytes = address == null ? null : literal(address);
        try {
            return bytes != null && InetAddress.getByAddress(bytes).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The client's address, by the trusted proxies alone.
     *
     * @param peer the address of the connection's other end
     * @param forwardedFor every {@code X-Forwarded-For} header value, in order
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        if (forwardedFor == null || forwardedFor.isEmpty() || !trusts(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (literal(hops.get(i)) == null) {
                // Not an address: whatever is left of it was written by someone we cannot vouch for.
                return client;
            }
            client = hops.get(i);
            if (!trusts(client)) {
                return client;
            }
        }
        return client;
    }
}
