package dev.spalce.keyproviders.remote;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One JSON request to a KMS's HTTP API with the JDK's HTTP client (Vault, Cloud KMS's REST API). */
public final class JdkHttp {

    private JdkHttp() {}

    /**
     * Sends {@code request} (URI, headers and timeout already set) with {@code method} and the raw JSON body.
     *
     * @param body the raw JSON body, or null; sent as is, without a copy, so the caller may zero it afterwards
     * @param kms the KMS's name, for messages
     * @throws UncheckedIOException when the KMS does not answer in time or at all
     */
    public static HttpResponse<byte[]> send(
            HttpClient client, HttpRequest.Builder request, String method, byte[] body, String kms) {
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for " + kms));
        }
    }
}
