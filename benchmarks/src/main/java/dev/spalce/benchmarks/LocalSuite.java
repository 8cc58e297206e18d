package dev.spalce.benchmarks;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** What the benchmarks that run against the local suite ({@code ./spalce up}) share: its settings and its TLS. */
public final class LocalSuite {

    private LocalSuite() {}

    /** A setting of the local runtime (deploy/local/spalce.sh): the environment variable, else its default. */
    public static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * TLS that trusts one certificate (PEM), and only it: the local gateway's for the public API, the internal CA's
     * for a management port (which asks for no client certificate).
     */
    public static SSLContext trustingOnly(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(certificate)) {
            trust.setCertificateEntry(
                    "trusted", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /**
     * Mutual TLS to an internal service: trusts the internal CA (PEM) and presents a key pair it issued (certificate
     * chain PEM, PKCS#8 PEM EC key, as {@code ./spalce pki issue} writes them).
     */
    public static SSLContext presenting(Path ca, Path certificate, Path key) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(ca)) {
            trust.setCertificateEntry("ca", x509.generateCertificate(pem));
        }
        Certificate[] chain;
        try (InputStream pem = Files.newInputStream(certificate)) {
            chain = x509.generateCertificates(pem).toArray(Certificate[]::new);
        }
        String base64 = Files.readString(key, StandardCharsets.US_ASCII)
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        char[] password = "benchmark".toCharArray();
        identity.setKeyEntry("client", privateKey, password, chain);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, password);
        TrustManagerFactory trusted = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trusted.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trusted.getTrustManagers(), null);
        return context;
    }
}
