package dev.spalce.gateway.tls;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.testsupport.SpalceInfrastructure;
import dev.spalce.testsupport.TlsScan;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** What a customer's security team would check with their own tools: the protocols, suites and headers served. */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class TlsPostureTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void nmap_findsOnlyTls12And13_withForwardSecretAeadSuites() throws Exception {
        TlsScan.assertOnlyTls12And13WithForwardSecretAeadSuites("the gateway's public port", https.getPort());
    }

    @Test
    void httpsResponses_carryTheExactHstsHeader() {
        given().relaxedHTTPSValidation()
                .baseUri(https.toString())
                .when()
                .get("/api/v1/me")
                .then()
                .statusCode(401)
                .header("Strict-Transport-Security", equalTo("max-age=31536000; includeSubDomains; preload"));
    }

    @Test
    void publishedSpkiPin_isThePinOfTheCertificateActuallyServed() throws Exception {
        String published = given().relaxedHTTPSValidation()
                .baseUri(https.toString())
                .when()
                .get("/.well-known/spalce/spki-pin")
                .then()
                .statusCode(200)
                .extract()
                .path("pinSha256");

        assertThat(published).isEqualTo(pinOf(servedCertificate()));
    }

    private X509Certificate servedCertificate() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        // The test inspects the certificate it is served; it trusts nothing it sends.
        context.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                new SecureRandom());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", https.getPort())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new AssertionError("TLS handshake with the gateway failed", e);
        }
    }

    private static String pinOf(X509Certificate certificate) throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(certificate.getPublicKey().getEncoded()));
    }
}
