package dev.spalce.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The client settings of a Kafka client outside the services (admin tooling, tests) on the broker's mutual TLS
 * listener: an identity's certificate chain and PKCS#8 key and the internal CA, all PEM. The broker names the client
 * {@code User:<CN>}.
 */
public final class KafkaTls {

    private KafkaTls() {}

    /** Settings presenting the key pair in {@code certificate}/{@code key} and trusting {@code ca}. */
    public static Map<String, Object> client(Path certificate, Path key, Path ca) {
        return Map.of(
                "security.protocol",
                "SSL",
                "ssl.keystore.type",
                "PEM",
                "ssl.keystore.certificate.chain",
                read(certificate),
                "ssl.keystore.key",
                read(key),
                "ssl.truststore.type",
                "PEM",
                "ssl.truststore.certificates",
                read(ca));
    }

    /** The same from SPALCE_INTERNAL_TLS_CERT, SPALCE_INTERNAL_TLS_KEY and SPALCE_INTERNAL_TLS_CA. */
    public static Map<String, Object> fromEnvironment() {
        return client(
                Path.of(required("SPALCE_INTERNAL_TLS_CERT")),
                Path.of(required("SPALCE_INTERNAL_TLS_KEY")),
                Path.of(required("SPALCE_INTERNAL_TLS_CA")));
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }

    private static String read(Path pem) {
        try {
            return Files.readString(pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pem, e);
        }
    }
}
