package dev.spalce.keyproviders.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed TLS certificate for 127.0.0.1 (IP subject alternative name), made once per JVM with the JDK's
 * keytool under {@code target/loopback-tls}: the test servers that must speak HTTPS serve it, and the clients under
 * test trust it through their own configuration (the PEM file {@link #caCertificates()}), never JVM-wide.
 */
public final class LoopbackTls {

    private static final char[] PASSWORD = "loopback-test-only".toCharArray();
    private static LoopbackTls instance;

    private final Path keyStore;
    private final Path caCertificates;

    private LoopbackTls(Path keyStore, Path caCertificates) {
        this.keyStore = keyStore;
        this.caCertificates = caCertificates;
    }

    /** The certificate, made on first use. */
    public static synchronized LoopbackTls get() {
        if (instance == null) {
            Path dir = Path.of(System.getProperty("basedir", "."), "target", "loopback-tls");
            Path keyStore = dir.resolve("server.p12");
            Path pem = dir.resolve("ca.pem");
            try {
                Files.createDirectories(dir);
                Files.deleteIfExists(keyStore);
                Files.deleteIfExists(pem);
                keytool(
                        "-genkeypair",
                        "-alias",
                        "loopback",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=IP:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keyStore.toString(),
                        "-storepass",
                        new String(PASSWORD),
                        "-keypass",
                        new String(PASSWORD));
                keytool(
                        "-exportcert",
                        "-rfc",
                        "-alias",
                        "loopback",
                        "-keystore",
                        keyStore.toString(),
                        "-storepass",
                        new String(PASSWORD),
                        "-file",
                        pem.toString());
            } catch (IOException e) {
                throw new IllegalStateException("could not make the loopback TLS certificate", e);
            }
            instance = new LoopbackTls(keyStore, pem);
        }
        return instance;
    }

    /** The PEM file of the certificate, for a client's trust configuration. */
    public Path caCertificates() {
        return caCertificates;
    }

    /** A server context presenting the certificate. */
    public SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not load the loopback TLS certificate", e);
        }
    }

    private static void keytool(String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}
