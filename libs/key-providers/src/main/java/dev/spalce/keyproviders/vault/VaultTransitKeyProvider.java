package dev.spalce.keyproviders.vault;

import static dev.spalce.keyproviders.remote.KmsCalls.unavailable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.KeyUnavailableException.Reason;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.KeyDescription;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.remote.JsonDek;
import dev.spalce.keyproviders.remote.KmsCalls;
import dev.spalce.keyproviders.remote.KmsCalls.Failure;
import dev.spalce.keyproviders.vault.VaultHttp.VaultException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Provider {@code vault-transit}: tenants' CMKs are keys of a HashiCorp Vault transit secrets engine, created with
 * {@code derived=true} (type {@code aes256-gcm96}), so that each wrap uses a key derived from the CMK version and
 * the wrap context: a DEK wrapped for one record does not unwrap for another. Wrap is {@code encrypt/<name>}, unwrap
 * {@code decrypt/<name>} and rewrap {@code rewrap/<name>} (server side: the DEK never comes back), each with
 * {@code context} = the JSON of {@link WrapContext#asEncryptionContext()} and, for encrypt and rewrap, the exact
 * {@code key_version}. The {@code wrapped_dek} is Vault's ciphertext string ({@code vault:v<n>:<base64>}) in ASCII.
 *
 * <p>Versions are Vault's own: {@code keys/<name>} lists them, {@code keys/<name>/rotate} adds one, and versions
 * below {@code min_decryption_version} are reported disabled.
 *
 * <p>Every request goes through {@link KmsCalls} (request budget, retries with backoff on 429 rate-limit answers,
 * 5xx (a sealed or standby Vault) and network failures, metrics). Plain Java.
 */
public final class VaultTransitKeyProvider implements KeyProvider {

    public static final String ID = "vault-transit";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern CIPHERTEXT = Pattern.compile("vault:v([1-9][0-9]{0,9}):[A-Za-z0-9+/=]+");

    private final VaultHttp http;
    private final VaultAuth auth;
    private final String mount;
    private final KmsCalls calls;

    /**
     * @param mount the path of the transit engine, e.g. {@code transit}
     */
    public VaultTransitKeyProvider(VaultHttp http, VaultAuth auth, String mount, KmsCalls calls) {
        this.http = Objects.requireNonNull(http, "http");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.mount = Objects.requireNonNull(mount, "mount").replaceAll("^/+|/+$", "");
        this.calls = Objects.requireNonNull(calls, "calls");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public WrappedKey wrap(KmsKeyId keyVersion, DataKey dek, WrapContext context) {
        String name = nameOf(keyVersion);
        byte[] body = encryptBody(dek, context, keyVersion.version());
        try {
            String ciphertext = call(
                    "wrap",
                    keyVersion,
                    token -> ciphertext(http.send("POST", mount + "/encrypt/" + name, body, Optional.of(token))));
            requireVersion(ciphertext, keyVersion.version());
            return new WrappedKey(keyVersion, ciphertext.getBytes(StandardCharsets.US_ASCII));
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    @Override
    public DataKey unwrap(KmsKeyId keyVersion, byte[] wrappedDek, WrapContext context) {
        String name = nameOf(keyVersion);
        String ciphertext = ciphertextOf(wrappedDek, keyVersion);
        ObjectNode request =
                VaultHttp.JSON.createObjectNode().put("ciphertext", ciphertext).put("context", context(context));
        byte[] body = json(request);
        return call("unwrap", keyVersion, token -> {
            byte[] answer = http.send("POST", mount + "/decrypt/" + name, body, Optional.of(token));
            try {
                return JsonDek.read(answer, List.of("data", "plaintext"), "Vault");
            } finally {
                Arrays.fill(answer, (byte) 0);
            }
        });
    }

    @Override
    public WrappedKey rewrap(KmsKeyId from, KmsKeyId to, byte[] wrappedDek, WrapContext context) {
        String name = nameOf(from);
        if (!name.equals(nameOf(to))) {
            throw new IllegalArgumentException("Vault rewraps within one key; " + from + " and " + to + " differ");
        }
        ObjectNode request = VaultHttp.JSON
                .createObjectNode()
                .put("ciphertext", ciphertextOf(wrappedDek, from))
                .put("context", context(context))
                .put("key_version", to.version());
        String ciphertext = call(
                "rewrap",
                from,
                token -> ciphertext(http.send("POST", mount + "/rewrap/" + name, json(request), Optional.of(token))));
        requireVersion(ciphertext, to.version());
        return new WrappedKey(to, ciphertext.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public boolean rewrapsServerSide() {
        return true;
    }

    @Override
    public KeyDescription describe(String keyReference) {
        requireName(keyReference);
        KmsKeyId subject = KmsKeyId.of(ID, keyReference, 1);
        JsonNode data = call(
                        "describe", subject, token -> http.get(mount + "/keys/" + keyReference, Optional.of(token)))
                .path("data");
        if (!data.path("derived").asBoolean(false)) {
            throw new IllegalArgumentException("Vault transit key " + keyReference + " must be created with "
                    + "derived=true, so that the wrap context binds each wrapped DEK to its record");
        }
        String type = data.path("type").asText("");
        if (!type.startsWith("aes") && !type.startsWith("chacha20")) {
            throw new IllegalArgumentException("Vault transit key " + keyReference + " is of type " + type
                    + ", not a symmetric encryption key (aes256-gcm96)");
        }
        int minDecryption = data.path("min_decryption_version").asInt(1);
        List<KeyDescription.Version> versions = new ArrayList<>();
        for (Iterator<String> names = data.path("keys").fieldNames(); names.hasNext(); ) {
            int version = Integer.parseInt(names.next());
            versions.add(new KeyDescription.Version(version, version >= minDecryption));
        }
        int latest = data.path("latest_version").asInt();
        return new KeyDescription(keyReference, latest, versions);
    }

    @Override
    public KmsKeyId createVersion(String keyReference) {
        requireName(keyReference);
        KmsKeyId subject = KmsKeyId.of(ID, keyReference, 1);
        call(
                "rotate",
                subject,
                token -> http.send(
                        "POST",
                        mount + "/keys/" + keyReference + "/rotate",
                        "{}".getBytes(StandardCharsets.US_ASCII),
                        Optional.of(token)));
        return KmsKeyId.of(ID, keyReference, describe(keyReference).currentVersion());
    }

    @Override
    public String toString() {
        return "VaultTransitKeyProvider[" + mount + "]";
    }

    /** One call with a token; a 403 to a login token makes the next attempt log in again. */
    private <T> T call(String operation, KmsKeyId subject, Function<String, T> request) {
        String[] used = new String[1];
        return calls.call(
                operation,
                subject,
                () -> {
                    used[0] = auth.token(http);
                    return request.apply(used[0]);
                },
                failure -> classify(
                        subject,
                        failure,
                        used[0] != null
                                && failure instanceof VaultException vault
                                && vault.status() == 403
                                && auth.denied(used[0])));
    }

    /**
     * The encrypt body, built as bytes so that the base64 of the DEK lives only in arrays this class zeroes (a
     * String could not be erased).
     */
    private static byte[] encryptBody(DataKey dek, WrapContext context, int version) {
        return JsonDek.write(
                "{\"context\":\"" + context(context) + "\",\"key_version\":" + version + ",\"plaintext\":\"",
                dek,
                "\"}");
    }

    private static String ciphertext(byte[] answer) {
        try {
            String ciphertext = VaultHttp.JSON
                    .readTree(answer)
                    .path("data")
                    .path("ciphertext")
                    .asText("");
            if (!CIPHERTEXT.matcher(ciphertext).matches()) {
                throw new UncheckedIOException(new IOException("Vault's answer has no data.ciphertext"));
            }
            return ciphertext;
        } catch (IOException e) {
            throw new UncheckedIOException("Vault's answer is not JSON", e);
        }
    }

    /** The context Vault derives the key from: the JSON of the wrap context's map, base64. */
    static String context(WrapContext context) {
        return Base64.getEncoder().encodeToString(json(VaultHttp.JSON.valueToTree(context.asEncryptionContext())));
    }

    private static byte[] json(JsonNode node) {
        try {
            return VaultHttp.JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String ciphertextOf(byte[] wrappedDek, KmsKeyId keyVersion) {
        String ciphertext = new String(wrappedDek, StandardCharsets.US_ASCII);
        Matcher matcher = CIPHERTEXT.matcher(ciphertext);
        if (!matcher.matches()) {
            throw new BadCiphertextException("a vault-transit wrapped DEK is a Vault ciphertext, vault:v<n>:<base64>");
        }
        // Vault answers undecodable base64 with a 400 of its own; refusing it here names it a bad ciphertext
        // whatever the server's wording, and spares the call.
        try {
            Base64.getDecoder().decode(ciphertext.substring(ciphertext.indexOf(':', "vault:".length()) + 1));
        } catch (IllegalArgumentException notBase64) {
            throw new BadCiphertextException("a vault-transit wrapped DEK's ciphertext is not base64");
        }
        if (Long.parseLong(matcher.group(1)) != keyVersion.version()) {
            throw new BadCiphertextException(
                    "the wrapped DEK is of Vault key version " + matcher.group(1) + ", not " + keyVersion.version());
        }
        return ciphertext;
    }

    private static void requireVersion(String ciphertext, int version) {
        if (!ciphertext.startsWith("vault:v" + version + ":")) {
            throw new IllegalStateException("Vault wrapped under another version than the requested " + version);
        }
    }

    private String nameOf(KmsKeyId keyVersion) {
        requireOwn(keyVersion);
        requireName(keyVersion.reference());
        return keyVersion.reference();
    }

    private static void requireName(String keyReference) {
        if (keyReference == null || !NAME.matcher(keyReference).matches()) {
            throw new IllegalArgumentException(
                    "a vault-transit key reference is the transit key's name: 1 to 128 characters of [A-Za-z0-9_.-]");
        }
    }

    /** Vault's answers in provider-independent terms (transit's error messages are stable across versions). */
    static Failure classify(KmsKeyId subject, RuntimeException failure, boolean loginAgain) {
        if (failure instanceof VaultException vault) {
            int status = vault.status();
            if (status == 429) {
                return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, true, "throttled");
            }
            if (status >= 500) {
                return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, true, "server-error");
            }
            if (status == 403) {
                return unavailable(subject, Reason.ACCESS_DENIED, failure, loginAgain, "access-denied");
            }
            if (status == 404 || vault.says("not found")) {
                return unavailable(subject, Reason.UNKNOWN_KEY, failure, false, "unknown-key");
            }
            if (vault.says("message authentication failed") || vault.says("invalid ciphertext")) {
                return new Failure(
                        new BadCiphertextException("wrapped DEK did not decrypt under " + subject
                                + " with this record's context: another key's, another record's, or modified"),
                        false,
                        "bad-ciphertext");
            }
            if (vault.says("disallowed by policy")
                    || vault.says("min_encryption_version")
                    || vault.says("min_decryption_version")) {
                return unavailable(subject, Reason.KEY_DISABLED, failure, false, "key-disabled");
            }
            return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, false, "rejected");
        }
        if (failure instanceof UncheckedIOException) {
            return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, true, "unreachable");
        }
        return KmsCalls.typedOrUnexpected(subject, failure);
    }
}
