package dev.spalce.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a customer's security team would run against a TLS port: nmap's {@code ssl-enum-ciphers} script, and the
 * posture every Spalce port promises (the gateway's public port, every internal service and management port).
 */
public final class TlsScan {

    private TlsScan() {}

    /**
     * Scans {@code port} on 127.0.0.1 and asserts TLS 1.2 and 1.3 only, grade A, and forward-secret AEAD suites only;
     * {@code what} names the port in a failure.
     */
    public static void assertOnlyTls12And13WithForwardSecretAeadSuites(String what, int port)
            throws IOException, InterruptedException {
        Infrastructure.requireCommand("nmap", "nmap");
        Process nmap = new ProcessBuilder(
                        "nmap", "-Pn", "-p", Integer.toString(port), "--script", "ssl-enum-ciphers", "127.0.0.1")
                .redirectErrorStream(true)
                .start();
        String report = new String(nmap.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(nmap.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(report)
                .as(what + "\n" + report)
                .contains("TLSv1.2:")
                .contains("TLSv1.3:")
                .doesNotContain("SSLv3")
                .doesNotContain("TLSv1.0:")
                .doesNotContain("TLSv1.1:")
                .contains("least strength: A");
        // nmap names TLS 1.3 suites TLS_AKE_WITH_... (their key exchange is always ephemeral).
        List<String> suites = report.lines()
                .map(String::strip)
                .filter(line -> line.matches("\\|?\\s*TLS_[A-Z0-9_]+ .*"))
                .toList();
        assertThat(suites)
                .as(what + "\n" + report)
                .isNotEmpty()
                .allSatisfy(
                        line -> assertThat(line)
                                .matches(
                                        ".*TLS_(ECDHE_(ECDSA|RSA)_WITH_|AKE_WITH_)(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256).*"));
    }
}
