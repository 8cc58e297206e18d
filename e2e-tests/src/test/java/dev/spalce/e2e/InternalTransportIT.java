package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spalce.contracts.Topic;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.InternalTls;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.ServiceProcess;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Zero trust inside the perimeter: every internal service port speaks mutual TLS only, crypto-service checks that the
 * certificate and the token name the same caller, and the broker admits only authenticated principals to the topics
 * their ACLs give them.
 */
class InternalTransportIT extends AgainstRunningSuite {

    private static final List<String> INTERNAL =
            List.of("evidence-service", "crypto-service", "rewrap-worker", "audit-log-service");

    @Test
    void everyInternalPort_offersOnlyTls12And13_withForwardSecretAeadSuites() throws Exception {
        Infrastructure.requireCommand("nmap", "nmap");
        for (String service : INTERNAL) {
            URI url = suite.url(service);
            Process nmap = new ProcessBuilder(
                            "nmap",
                            "-Pn",
                            "-p",
                            Integer.toString(url.getPort()),
                            "--script",
                            "ssl-enum-ciphers",
                            "127.0.0.1")
                    .redirectErrorStream(true)
                    .start();
            String report = new String(nmap.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(nmap.waitFor(2, TimeUnit.MINUTES)).isTrue();

            assertThat(report)
                    .as(service + "\n" + report)
                    .contains("TLSv1.2:")
                    .contains("TLSv1.3:")
                    .doesNotContain("SSLv3")
                    .doesNotContain("TLSv1.0:")
                    .doesNotContain("TLSv1.1:")
                    .contains("least strength: A");
            List<String> suites = report.lines()
                    .map(String::strip)
                    .filter(line -> line.matches("\\|?\\s*TLS_[A-Z0-9_]+ .*"))
                    .toList();
            assertThat(suites)
                    .as(report)
                    .isNotEmpty()
                    .allSatisfy(
                            line -> assertThat(line)
                                    .matches(
                                            ".*TLS_(ECDHE_(ECDSA|RSA)_WITH_|AKE_WITH_)(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256).*"));
        }
    }

    @Test
    void everyInternalPort_withoutClientCertificate_answersNothing() throws Exception {
        for (String service : INTERNAL) {
            String answer = exchangeOverTls(suite.url(service), InternalTls.sslContextWithoutCertificate());
            assertThat(answer).as(service).doesNotContain("HTTP/1.1");
        }
    }

    @Test
    void everyInternalPort_withPlainHttp_answersNothing() throws Exception {
        for (String service : INTERNAL) {
            URI url = suite.url(service);
            String answer;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 5000);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request(url).getBytes(StandardCharsets.US_ASCII));
                answer = readWhatComes(socket.getInputStream());
            }
            assertThat(answer).as(service).doesNotContain("HTTP/1.1");
        }
    }

    @Test
    void everyInternalPort_withAServiceCertificate_answers() throws Exception {
        for (String service : INTERNAL) {
            String answer = exchangeOverTls(suite.url(service), InternalTls.sslContext("auth-gateway"));
            // No token: the service answers, and refuses (a certificate alone authenticates nobody).
            assertThat(answer).as(service).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void cryptoService_refusesATokenPresentedOverAnotherServicesCertificate() throws Exception {
        String workspace = UUID.randomUUID().toString();
        Map<String, Object> mint = Map.of("recordType", "personnel", "recordId", "p-1");
        // evidence-service's own token, but over rewrap-worker's connection: a token replayed by another service.
        int replayed = InternalTls.actingAs(
                "rewrap-worker",
                () -> given().auth()
                        .oauth2(OidcTokens.service("spalce-evidence-service", "spalce-crypto"))
                        .contentType(ContentType.JSON)
                        .body(mint)
                        .when()
                        .post(suite.url("crypto-service")
                                .resolve("/internal/v1/workspaces/" + workspace + "/data-keys")
                                .toString())
                        .then()
                        .extract()
                        .statusCode());
        assertThat(replayed).isEqualTo(403);
    }

    @Test
    void kafkaProducerWithoutCertificate_isRefused_andNothingReachesTheAuditTopic() {
        String key = "unauthenticated-" + UUID.randomUUID();
        Map<String, Object> trustOnly = Map.of(
                "security.protocol",
                "SSL",
                "ssl.truststore.type",
                "PEM",
                "ssl.truststore.location",
                InternalTls.caCertificate().toString());
        assertThatThrownBy(() ->
                        KafkaTestClient.sendAs(trustOnly, Topic.AUDIT.topicName(), key, "{}", new RecordHeaders()))
                .isInstanceOfAny(
                        ExecutionException.class,
                        org.apache.kafka.common.KafkaException.class,
                        java.util.concurrent.TimeoutException.class);
        assertThatThrownBy(
                        () -> KafkaTestClient.sendAs(Map.of(), Topic.AUDIT.topicName(), key, "{}", new RecordHeaders()))
                .isInstanceOfAny(
                        ExecutionException.class,
                        org.apache.kafka.common.KafkaException.class,
                        java.util.concurrent.TimeoutException.class);

        assertThat(KafkaTestClient.records(Topic.AUDIT.topicName(), Duration.ofSeconds(60)))
                .noneMatch(record -> key.equals(record.key()));
    }

    @Test
    void kafkaProducerAsEvidenceService_cannotWriteTheKeysTopic() {
        String key = "evidence-as-keys-" + UUID.randomUUID();
        assertThatThrownBy(() -> KafkaTestClient.sendAs(
                        Infrastructure.kafkaTls("evidence-service"),
                        Topic.KEYS.topicName(),
                        key,
                        "{}",
                        new RecordHeaders()))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TopicAuthorizationException.class);

        assertThat(KafkaTestClient.records(Topic.KEYS.topicName(), Duration.ofSeconds(60)))
                .noneMatch(record -> key.equals(record.key()));
    }

    @Test
    void renewedCertificate_isServedWithoutARestart() throws Exception {
        URI audit = suite.url("audit-log-service");
        BigInteger before = servedCertificate(audit).getSerialNumber();

        Process renew = new ProcessBuilder(
                        ServiceProcess.repositoryRoot().resolve("spalce").toString(),
                        "pki",
                        "renew",
                        "audit-log-service")
                .inheritIO()
                .start();
        assertThat(renew.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(renew.exitValue()).isZero();
        BigInteger renewed = InternalTls.certificates(InternalTls.certificate("audit-log-service"))
                .get(0)
                .getSerialNumber();
        assertThat(renewed).isNotEqualTo(before);

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> servedCertificate(audit).getSerialNumber().equals(renewed));
        given().auth()
                .oauth2(OidcTokens.service("spalce-auth-gateway", "spalce-audit"))
                .when()
                .get(audit.resolve("/internal/v1/status").toString())
                .then()
                .statusCode(200);
    }

    private static X509Certificate servedCertificate(URI url) throws IOException {
        try (SSLSocket socket = (SSLSocket)
                InternalTls.sslContext("auth-gateway").getSocketFactory().createSocket("127.0.0.1", url.getPort())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** Sends a GET over TLS with {@code context}; returns what came back (nothing when the server refused). */
    private static String exchangeOverTls(URI url, SSLContext context) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", url.getPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            socket.getOutputStream().write(request(url).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return readWhatComes(socket.getInputStream());
        } catch (IOException refused) {
            // The server refused the handshake (TLS 1.2) or closed the connection after it (TLS 1.3).
            return "";
        }
    }

    private static String request(URI url) {
        return "GET /internal/v1/status HTTP/1.1\r\nHost: 127.0.0.1:" + url.getPort() + "\r\nConnection: close\r\n\r\n";
    }

    private static String readWhatComes(InputStream in) {
        byte[] buffer = new byte[4096];
        StringBuilder text = new StringBuilder();
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException closed) {
            // the end of what the server would say
        }
        return text.toString();
    }
}
