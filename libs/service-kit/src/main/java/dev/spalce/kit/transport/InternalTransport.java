package dev.spalce.kit.transport;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SSLOptions;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Mutual TLS between the services: the one TLS configuration every internal hop uses ({@code quarkus.tls.internal},
 * service-kit's defaults), and the service identity a peer's certificate names. A service's certificate, issued by
 * the internal CA, carries the URI SAN {@code spiffe://spalce/<service>}.
 */
public final class InternalTransport {

    /** The name of the internal TLS configuration in the Quarkus TLS registry. */
    public static final String TLS_CONFIGURATION = "internal";

    private static final String SPIFFE_PREFIX = "spiffe://spalce/";
    private static final int URI_SAN = 6;

    private InternalTransport() {}

    /** The internal TLS configuration; start-up fails without one. */
    public static TlsConfiguration configuration(TlsConfigurationRegistry registry) {
        return registry.get(TLS_CONFIGURATION)
                .orElseThrow(() -> new IllegalStateException("no TLS configuration '" + TLS_CONFIGURATION
                        + "': set SPALCE_INTERNAL_TLS_CERT, _KEY and _CA"));
    }

    /**
     * {@code options} for calls to other services: this service's certificate presented, theirs verified against the
     * internal CA and their host name, TLS 1.2/1.3 with the configured suites.
     */
    public static HttpClientOptions clientOptions(HttpClientOptions options, TlsConfiguration tls) {
        SSLOptions ssl = tls.getSSLOptions();
        options.setKeyCertOptions(tls.getKeyStoreOptions())
                .setTrustOptions(tls.getTrustStoreOptions())
                .setVerifyHost(true)
                .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols());
        ssl.getEnabledCipherSuites().forEach(options::addEnabledCipherSuite);
        return options;
    }

    /** The SSL options of a renewed configuration, for a client to pick up without a restart. */
    public static SSLOptions renewed(TlsConfiguration tls) {
        return new SSLOptions(tls.getSSLOptions())
                .setKeyCertOptions(tls.getKeyStoreOptions())
                .setTrustOptions(tls.getTrustStoreOptions());
    }

    /**
     * The service a verified peer certificate names ({@code spiffe://spalce/<service>}); empty without a TLS session,
     * a client certificate or such a name.
     */
    public static Optional<String> peerService(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            return serviceOf(leaf);
        } catch (SSLPeerUnverifiedException noCertificate) {
            return Optional.empty();
        }
    }

    /** The service an internal certificate names by its URI SAN; empty when it names none (or several). */
    public static Optional<String> serviceOf(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            List<String> services = names.stream()
                    .filter(name -> name.size() == 2 && Integer.valueOf(URI_SAN).equals(name.get(0)))
                    .map(name -> (String) name.get(1))
                    .filter(uri -> uri.startsWith(SPIFFE_PREFIX) && uri.length() > SPIFFE_PREFIX.length())
                    .map(uri -> uri.substring(SPIFFE_PREFIX.length()))
                    .toList();
            return services.size() == 1 ? Optional.of(services.get(0)) : Optional.empty();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }
}
