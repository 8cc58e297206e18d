package dev.spalce.evidence.outage;

import java.io.IOException;
import java.net.ServerSocket;

/** A loopback URL where nothing listens (a port that was free a moment ago). */
final class DeadPort {

    private DeadPort() {}

    static String url() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
