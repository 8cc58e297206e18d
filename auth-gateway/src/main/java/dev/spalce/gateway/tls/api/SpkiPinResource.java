package dev.spalce.gateway.tls.api;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The pin of the certificate the gateway serves, for self-hosted customers who pin: SHA-256 over its
 * SubjectPublicKeyInfo, base64 (the RFC 7469 {@code pin-sha256} form). The same value comes out of
 * {@code openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256
 * -binary | base64}.
 */
@Path("/.well-known/spalce/spki-pin")
@PermitAll
public class SpkiPinResource {

    /**
     * @param pinSha256 base64 SHA-256 of the certificate's SubjectPublicKeyInfo
     * @param subject the certificate's subject, for humans
     * @param notAfter when the certificate expires; a new key means a new pin
     */
    public record SpkiPin(String pinSha256, String subject, Instant notAfter) {}

    private final SpkiPin pin;

    public SpkiPinResource(@ConfigProperty(name = "spalce.tls.certificate") java.nio.file.Path certificate) {
        try (InputStream pem = Files.newInputStream(certificate)) {
            X509Certificate served =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(served.getPublicKey().getEncoded());
            this.pin = new SpkiPin(
                    Base64.getEncoder().encodeToString(digest),
                    served.getSubjectX500Principal().getName(),
                    served.getNotAfter().toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS certificate " + certificate, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the TLS certificate " + certificate + " is not an X.509 certificate", e);
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public SpkiPin pin() {
        return pin;
    }
}
