package dev.spalce.evidence.file.service;

import dev.spalce.crypto.SecretBytes;
import dev.spalce.evidence.common.api.EvidenceProblems;
import dev.spalce.evidence.file.config.EvidenceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed download URLs. The signature is HMAC-SHA256 over
 * {@code purpose || LF || workspace || LF || id || LF || expiry (epoch seconds)}: one purpose (downloading an
 * evidence file, {@code spalce-evidence-download-v1}, or a workspace export's archive,
 * {@code spalce-export-download-v1}), one workspace, one file, one expiry. An expired URL, or one with any of these
 * changed, is refused (compared in constant time): a URL for an evidence file never opens an export, nor the reverse.
 */
@ApplicationScoped
public class DownloadUrls {

    /** What a URL downloads; its label is signed, so a URL of one purpose is refused for the other. */
    public enum Purpose {
        EVIDENCE("spalce-evidence-download-v1"),
        EXPORT("spalce-export-download-v1");

        private final String label;

        Purpose(String label) {
            this.label = label;
        }
    }

    /** A signed URL's query: the expiry and the signature. */
    public record Signed(long expires, String signature) {}

    private final SecretKeySpec key;
    private final EvidenceConfig config;
    private final Clock clock;

    public DownloadUrls(EvidenceConfig config) {
        this.config = config;
        this.clock = Clock.systemUTC();
        byte[] bytes;
        if (config.download().signingKey().filter(value -> !value.isBlank()).isPresent()) {
            bytes = Base64.getDecoder().decode(config.download().signingKey().get());
        } else if (config.download().allowEphemeralKey()) {
            try (SecretBytes random = SecretBytes.random(32)) {
                bytes = random.toByteArray(dev.spalce.crypto.InsecureKeyAccess.get());
            }
        } else {
            throw new IllegalStateException("spalce.evidence.download.signing-key is required "
                    + "(SPALCE_EVIDENCE_DOWNLOAD_SIGNING_KEY, base64, 32 bytes or more)");
        }
        if (bytes.length < 32) {
            throw new IllegalStateException("spalce.evidence.download.signing-key must be 32 bytes or more");
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
        java.util.Arrays.fill(bytes, (byte) 0);
    }

    /** A signature for an evidence file, valid for the configured lifetime from now. */
    public Signed sign(String workspaceId, UUID evidenceId) {
        return sign(Purpose.EVIDENCE, workspaceId, evidenceId);
    }

    /** A signature for {@code purpose} and file {@code id}, valid for the configured lifetime from now. */
    public Signed sign(Purpose purpose, String workspaceId, UUID id) {
        long expires = clock.instant().plus(config.download().urlLifetime()).getEpochSecond();
        return new Signed(
                expires,
                Base64.getUrlEncoder().withoutPadding().encodeToString(mac(purpose, workspaceId, id, expires)));
    }

    /** The one form of a signed URL's query: {@code expires} then {@code signature}, each once, as {@link #sign} wrote them. */
    private static final Pattern CANONICAL_QUERY =
            Pattern.compile("expires=([1-9][0-9]{0,17})&signature=([A-Za-z0-9_-]{43})");

    /** The query of a signed URL, exactly as it is written into the URL. */
    public static String query(Signed signed) {
        return "expires=" + signed.expires() + "&signature=" + signed.signature();
    }

    /**
     * Refuses (403 invalid-signed-url) unless the request names the evidence by its canonical id (lower case) and
     * its raw query is exactly the one {@link #sign} produced for this download, not yet expired: an equivalent
     * spelling (padding, the standard base64 alphabet, a signed or zero-padded expiry, a repeated or extra
     * parameter, percent-encoding) is a different URL, and refused.
     */
    public void verify(String workspaceId, String evidenceIdAsGiven, UUID evidenceId, String rawQuery) {
        verify(Purpose.EVIDENCE, workspaceId, evidenceIdAsGiven, evidenceId, rawQuery);
    }

    /** As {@link #verify(String, String, UUID, String)}, for a URL of {@code purpose}. */
    public void verify(
            Purpose purpose, String workspaceId, String evidenceIdAsGiven, UUID evidenceId, String rawQuery) {
        Matcher canonical = rawQuery == null ? null : CANONICAL_QUERY.matcher(rawQuery);
        if (canonical == null || !canonical.matches() || !evidenceId.toString().equals(evidenceIdAsGiven)) {
            throw EvidenceProblems.badSignedUrl();
        }
        long expires = Long.parseLong(canonical.group(1));
        byte[] expected = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac(purpose, workspaceId, evidenceId, expires))
                .getBytes(StandardCharsets.US_ASCII);
        boolean valid = MessageDigest.isEqual(canonical.group(2).getBytes(StandardCharsets.US_ASCII), expected);
        if (!valid || Instant.ofEpochSecond(expires).isBefore(clock.instant())) {
            throw EvidenceProblems.badSignedUrl();
        }
    }

    private byte[] mac(Purpose purpose, String workspaceId, UUID evidenceId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal((purpose.label + "\n" + workspaceId + "\n" + evidenceId + "\n" + expires)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }
}
