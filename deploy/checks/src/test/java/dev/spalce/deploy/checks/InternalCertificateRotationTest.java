package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The ECS rotation function's certification request ({@code deploy/ecs/lambda/internal-certificates/csr.mjs}, a
 * hand-written DER encoder) is one openssl accepts: its signature verifies and its subject names the service. Runs
 * where node and openssl are installed; the AWS calls around it are not exercised here (no account).
 */
class InternalCertificateRotationTest {

    @Test
    void certificationRequest_verifiesWithOpenssl_andNamesTheService() throws Exception {
        assumeTrue(Tools.onPath("node") && Tools.onPath("openssl"), "node or openssl is not installed");
        Path function = Repo.deploy("ecs/lambda/internal-certificates");
        Path work = Files.createTempDirectory("csr");
        try {
            Path script = work.resolve("make-csr.mjs");
            Files.writeString(script, """
                    import { generateKeyPairSync } from 'node:crypto';
                    import { certificationRequest } from '%s';
                    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
                    process.stdout.write(certificationRequest('crypto-service', privateKey, publicKey));
                    """.formatted(function.resolve("csr.mjs").toUri()));
            Tools.Result csr = Tools.run(work, "node", script.toString());
            assertThat(csr.exit()).as(csr.output()).isZero();
            Files.writeString(work.resolve("request.csr"), csr.output());

            Tools.Result verified =
                    Tools.run(work, "openssl", "req", "-in", "request.csr", "-noout", "-verify", "-subject");

            assertThat(verified.exit()).as(verified.output()).isZero();
            assertThat(verified.output()).contains("verify OK").contains("CN = crypto-service");
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }
}
