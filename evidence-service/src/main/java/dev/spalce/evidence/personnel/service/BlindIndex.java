package dev.spalce.evidence.personnel.service;

import com.google.crypto.tink.subtle.Hkdf;
import dev.spalce.evidence.personnel.config.PersonnelConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed blind index of emails: {@code HMAC-SHA256(K_ws, normalise(email))} where
 * {@code K_ws = HKDF-SHA256(master, salt = none, info = "spalce-blind-index-v1|email|" || workspace, 32)}. Exact-match
 * lookups work without decrypting the table; without the key the index reveals only equality within one
 * workspace, and nothing across workspaces. Normalisation: trimmed, lower-cased (ROOT locale).
 */
@ApplicationScoped
public class BlindIndex {

    private final byte[] master;

    public BlindIndex(PersonnelConfig config) {
        this.master = Base64.getDecoder().decode(config.blindIndexKey());
        if (master.length < 32) {
            throw new IllegalStateException("spalce.personnel.blind-index-key must be 32 bytes or more (base64)");
        }
    }

    /** The index of {@code email} in {@code workspaceId}. */
    public byte[] email(String workspaceId, String email) {
        byte[] key = null;
        try {
            key = Hkdf.computeHkdf(
                    "HMACSHA256",
                    master,
                    new byte[0],
                    ("spalce-blind-index-v1|email|" + workspaceId).getBytes(StandardCharsets.UTF_8),
                    32);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(normalise(email).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is required of every JDK", e);
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    static String normalise(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
