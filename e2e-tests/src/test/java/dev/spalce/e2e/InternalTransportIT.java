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
import dev.spalce.testsupport.TlsScan;
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

    /** Every service: each has a management port (health, metrics), the gateway included. */
    private static final List<String> ALL = InternalTls.SERVICES;

    private static final String STATUS = "/internal/v1/status";

    @Test
    void everyInternalPort_offersOnlyTls12And13_withForwardSecretAeadSuites() throws Exception {
        for (String service : INTERNAL) {
            TlsScan.assertOnlyTls12And13WithForwardSecretAeadSuites(
                    service, suite.url(service).getPort());
        }
    }

    @Test
    void everyManagementPort_offersOnlyTls12And13_withForwardSecretAeadSuites() throws Exception {
        for (String service : ALL) {
            TlsScan.assertOnlyTls12And13WithForwardSecretAeadSuites(
                    service + " (management)", suite.managementUrl(service).getPort());
        }
    }

    @Test
    void everyManagementPort_withPlainHttp_answersNothing() throws Exception {
        for (String service : ALL) {
            assertThat(plainHttpExchange(suite.managementUrl(service), "/q/health/ready"))
                    .as(service)
                    .doesNotContain("HTTP/1.1");
        }
    }

    @Test
    void everyManagementPort_withoutClientCertificate_answersHealth_asAPlatformProbeNeeds() throws Exception {
        // Server TLS only: a kubelet, an ALB or Prometheus presents no certificate (docs/threat-model.md).
        for (String service : ALL) {
            String answer = exchangeOverTls(
                    suite.managementUrl(service), InternalTls.sslContextWithoutCertificate(), "/q/health/live");
            assertThat(answer).as(service).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void everyManagementPort_servesTheServicesOwnInternalCertificate() throws Exception {
        for (String service : ALL) {
            X509Certificate served = servedCertificate(suite.managementUrl(service));
            assertThat(served.getSubjectAlternativeNames())
                    .as(service)
                    .anyMatch(name -> ("spiffe://spalce/" + service).equals(name.get(1)));
        }
    }

    @Test
    void everyInternalPort_withoutClientCertificate_answersNothing() throws Exception {
        for (String service : INTERNAL) {
            String answer = exchangeOverTls(suite.url(service), InternalTls.sslContextWithoutCertificate(), STATUS);
            assertThat(answer).as(service).doesNotContain("HTTP/1.1");
        }
    }

    @Test
    void everyInternalPort_withPlainHttp_answersNothing() throws Exception {
        for (String service : INTERNAL) {
            assertThat(plainHttpExchange(suite.url(service), STATUS))
                    .as(service)
                    .doesNotContain("HTTP/1.1");
        }
    }

    /** Sends a plain-HTTP GET of {@code path}; returns what came back (nothing when the port speaks TLS only). */
    private static String plainHttpExchange(URI url, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request(url, path).getBytes(StandardCharsets.US_ASCII));
            return readWhatComes(socket.getInputStream());
        }
    }

    @Test
    void everyInternalPort_withAServiceCertificate_answers() throws Exception {
        for (String service : INTERNAL) {
            String answer = exchangeOverTls(suite.url(service), InternalTls.sslContext("auth-gateway"), STATUS);
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

    /** Sends a GET of {@code path} over TLS with {@code context}; returns what came back (nothing when refused). */
    private static String exchangeOverTls(URI url, SSLContext context, String path) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", url.getPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            socket.getOutputStream().write(request(url, path).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return readWhatComes(socket.getInputStream());
        } catch (IOException refused) {
            // The server refused the handshake (TLS 1.2) or closed the connection after it (TLS 1.3).
            return "";
        }
    }

    private static String request(URI url, String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + url.getPort() + "\r\nConnection: close\r\n\r\n";
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
