package dev.spalce.keyproviders.azure;

import static dev.spalce.keyproviders.remote.KmsCalls.unavailable;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelay;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.rest.PagedResponse;
import com.azure.security.keyvault.keys.KeyAsyncClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyAsyncClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.azure.security.keyvault.keys.models.KeyProperties;
import com.azure.security.keyvault.keys.models.KeyType;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.InsecureKeyAccess;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KeyUnavailableException.Reason;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.crypto.SecretBytes;
import dev.spalce.keyproviders.KeyDescription;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.remote.KmsCalls;
import dev.spalce.keyproviders.remote.KmsCalls.Failure;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * Provider {@code azure-kv}: tenants' CMKs are RSA keys (2048 bits or more, {@code RSA} or {@code RSA-HSM}) in
 * Azure Key Vault, named by their versionless key identifier {@code https://<vault>.vault.azure.net/keys/<name>}
 * (the vault's host must be in one of the configured vault domains). A DEK is wrapped with the key version's
 * {@code wrapKey} (RSA-OAEP-256) and unwrapped with {@code unwrapKey}, always by Key Vault (the SDK's local
 * wrapping with a cached public key is off, so that every use is Key Vault's to log and to refuse).
 *
 * <p>Key Vault's {@code wrapKey} takes no associated data, so Spalce binds the wrap to its record itself: the
 * wrapped plaintext is {@code DEK || SHA-256(WC)}, with WC the {@link WrapContext#encode(int) wrap context} of
 * format {@value #FORMAT}; an unwrap recomputes the digest from the caller's context and compares it in constant
 * time, failing as a bad ciphertext. The {@code wrapped_dek} is {@code 0x02 || len || Azure version id ||
 * RSA-OAEP-256 ciphertext} (docs/format.md, section 9.3). Key Vault has no server-side rewrap: a rewrap unwraps and
 * wraps again here, the DEK zeroed at once.
 *
 * <p>Versions: Azure names a key's versions with opaque ids and never deletes a single version. Spalce's version
 * {@code n} is the {@code n}th of the key's versions ordered by creation time (then by id, for versions created in
 * the same second), as {@code GET /keys/<name>/versions} lists them; the current version is the one
 * {@code GET /keys/<name>} returns. The list is cached per key and read again when a version number is beyond it. A
 * new version is {@code POST /keys/<name>/rotate}.
 *
 * <p>Every request goes through {@link KmsCalls} (request budget, retries with backoff on 429, 5xx and network
 * failures, metrics); the SDK's own retries are off. Plain Java.
 */
public final class AzureKeyVaultKeyProvider implements KeyProvider {

    public static final String ID = "azure-kv";

    /** The wrapped-key format byte of this provider's {@code wrapped_dek}, also the format byte of its WC. */
    public static final int FORMAT = 0x02;

    private static final Pattern KEY_ID = Pattern.compile("(https://[^/?#@]+)/keys/([0-9A-Za-z-]{1,127})");
    private static final Pattern VERSION_ID = Pattern.compile("[0-9A-Za-z]{1,64}");
    /** Host (without a trailing dot), a port other than 443, key name; of a lower-cased reference. */
    private static final Pattern CANONICAL_PARTS =
            Pattern.compile("https://([^/?#@:]+?)\\.?(?::443)?(:[0-9]{1,5})?/keys/([0-9a-z-]{1,127})/?");

    private static final int DIGEST_BYTES = 32;
    private static final int MIN_RSA_BITS = 2048;

    /**
     * How the provider reaches Key Vault.
     *
     * @param http the HTTP client (see {@link #httpClient})
     * @param credential the Entra ID credential
     * @param verifyChallengeResource whether the SDK checks the challenge's resource against the vault's host
     */
    public record Connection(HttpClient http, TokenCredential credential, boolean verifyChallengeResource) {
        public Connection {
            Objects.requireNonNull(http, "http");
            Objects.requireNonNull(credential, "credential");
        }
    }

    private final Connection connection;
    private final List<String> vaultDomains;
    private final Duration attemptTimeout;
    private final KmsCalls calls;
    private final Map<String, KeyAsyncClient> vaults = new ConcurrentHashMap<>();
    private final Map<String, CryptographyAsyncClient> keyVersions = new ConcurrentHashMap<>();
    private final Map<String, List<String>> versionIds = new ConcurrentHashMap<>();

    /**
     * @param vaultDomains the DNS domains a key's vault may be in
     * @param attemptTimeout the deadline of one request
     */
    public AzureKeyVaultKeyProvider(
            Connection connection, List<String> vaultDomains, Duration attemptTimeout, KmsCalls calls) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.vaultDomains = vaultDomains.stream()
                .map(domain -> domain.trim().toLowerCase(Locale.ROOT))
                .filter(domain -> !domain.isEmpty())
                .toList();
        if (this.vaultDomains.isEmpty()) {
            throw new IllegalArgumentException("at least one vault domain is required");
        }
        this.attemptTimeout = Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        this.calls = Objects.requireNonNull(calls, "calls");
    }

    /**
     * The HTTP client this provider expects: Netty, every timeout at the attempt's deadline, and TLS trusting the
     * given CA certificates instead of the JVM's, if any.
     *
     * @param trustCertificates a PEM file of CA certificates (a private CA), or empty for the JVM's trust store
     */
    public static HttpClient httpClient(Optional<Path> trustCertificates, Duration attemptTimeout) {
        reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create();
        if (trustCertificates.isPresent()) {
            SslContext tls;
            try {
                tls = SslContextBuilder.forClient()
                        .trustManager(trustCertificates.get().toFile())
                        .build();
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalStateException("could not read the CA certificates in " + trustCertificates.get(), e);
            }
            netty = netty.secure(spec -> spec.sslContext(tls));
        }
        return new NettyAsyncHttpClientBuilder(netty)
                .connectTimeout(attemptTimeout)
                .responseTimeout(attemptTimeout)
                .readTimeout(attemptTimeout)
                .writeTimeout(attemptTimeout)
                .build();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public WrappedKey wrap(KmsKeyId keyVersion, DataKey dek, WrapContext context) {
        KeyRef key = keyOf(keyVersion);
        String versionId = versionId(key, keyVersion);
        CryptographyAsyncClient crypto = crypto(key, versionId);
        byte[] input = new byte[DataKey.LENGTH_BYTES + DIGEST_BYTES];
        try {
            try (SecretBytes plaintext = dek.plaintext(InsecureKeyAccess.get())) {
                byte[] raw = plaintext.toByteArray(InsecureKeyAccess.get());
                System.arraycopy(raw, 0, input, 0, raw.length);
                Arrays.fill(raw, (byte) 0);
            }
            System.arraycopy(digest(context), 0, input, DataKey.LENGTH_BYTES, DIGEST_BYTES);
            byte[] ciphertext = calls.call(
                    "wrap",
                    keyVersion,
                    () -> await(crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, input))
                            .getEncryptedKey(),
                    failure -> classify(keyVersion, failure, false));
            return new WrappedKey(keyVersion, blob(versionId, ciphertext));
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    @Override
    public DataKey unwrap(KmsKeyId keyVersion, byte[] wrappedDek, WrapContext context) {
        KeyRef key = keyOf(keyVersion);
        Blob blob = Blob.parse(wrappedDek);
        String versionId = versionId(key, keyVersion);
        if (!MessageDigest.isEqual(
                versionId.getBytes(StandardCharsets.US_ASCII), blob.versionId().getBytes(StandardCharsets.US_ASCII))) {
            throw new BadCiphertextException("the wrapped DEK is of another Azure key version than version "
                    + keyVersion.version() + " of " + key.reference());
        }
        CryptographyAsyncClient crypto = crypto(key, versionId);
        byte[] plain = calls.call(
                "unwrap",
                keyVersion,
                () -> await(crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, blob.ciphertext()))
                        .getKey(),
                failure -> classify(keyVersion, failure, true));
        try {
            if (plain.length != DataKey.LENGTH_BYTES + DIGEST_BYTES
                    || !MessageDigest.isEqual(
                            digest(context), Arrays.copyOfRange(plain, DataKey.LENGTH_BYTES, plain.length))) {
                throw new BadCiphertextException("wrapped DEK did not unwrap under " + keyVersion
                        + " with this record's context: another record's, or modified");
            }
            try (SecretBytes dek = SecretBytes.copyOf(Arrays.copyOf(plain, DataKey.LENGTH_BYTES))) {
                return DataKey.fromPlaintext(dek);
            }
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public KeyDescription describe(String keyReference) {
        KeyRef key = KeyRef.parse(keyReference, vaultDomains);
        KmsKeyId subject = KmsKeyId.of(ID, key.reference(), 1);
        KeyAsyncClient vault = vault(key);
        KeyVaultKey latest = calls.call(
                "describe",
                subject,
                () -> await(vault.getKey(key.name())),
                failure -> classify(subject, failure, false));
        KeyType type = latest.getKeyType();
        if (!KeyType.RSA.equals(type) && !KeyType.RSA_HSM.equals(type)) {
            throw new IllegalArgumentException(
                    "Azure key " + keyReference + " is of type " + type + ", not an RSA key (RSA or RSA-HSM)");
        }
        byte[] modulus = latest.getKey() == null ? null : latest.getKey().getN();
        if (modulus == null || new java.math.BigInteger(1, modulus).bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException(
                    "Azure key " + keyReference + " must be an RSA key of at least " + MIN_RSA_BITS + " bits");
        }
        List<KeyOperation> operations = latest.getKeyOperations();
        if (operations == null
                || !operations.contains(KeyOperation.WRAP_KEY)
                || !operations.contains(KeyOperation.UNWRAP_KEY)) {
            throw new IllegalArgumentException(
                    "Azure key " + keyReference + " must permit the operations wrapKey " + "and unwrapKey");
        }
        if (!Boolean.TRUE.equals(latest.getProperties().isEnabled())) {
            throw new KeyUnavailableException(subject, Reason.KEY_DISABLED);
        }
        List<KeyProperties> listed = listVersions(key, subject);
        List<KeyDescription.Version> versions = new ArrayList<>();
        int current = 0;
        for (int i = 0; i < listed.size(); i++) {
            KeyProperties version = listed.get(i);
            versions.add(new KeyDescription.Version(i + 1, !Boolean.FALSE.equals(version.isEnabled())));
            if (version.getVersion().equals(latest.getProperties().getVersion())) {
                current = i + 1;
            }
        }
        if (current == 0) {
            throw new KeyUnavailableException(
                    subject,
                    Reason.PROVIDER_UNAVAILABLE,
                    new IllegalStateException("Key Vault did not list the key's current version"));
        }
        return new KeyDescription(key.reference(), current, versions);
    }

    @Override
    public KmsKeyId createVersion(String keyReference) {
        KeyRef key = KeyRef.parse(keyReference, vaultDomains);
        KmsKeyId subject = KmsKeyId.of(ID, key.reference(), 1);
        KeyAsyncClient vault = vault(key);
        KeyVaultKey rotated = calls.call(
                "rotate",
                subject,
                () -> await(vault.rotateKey(key.name())),
                failure -> classify(subject, failure, false));
        List<String> ids = listVersions(key, subject).stream()
                .map(KeyProperties::getVersion)
                .toList();
        int index = ids.indexOf(rotated.getProperties().getVersion());
        if (index < 0) {
            throw new KeyUnavailableException(
                    subject,
                    Reason.PROVIDER_UNAVAILABLE,
                    new IllegalStateException("Key Vault did not list the version its rotation created"));
        }
        return KmsKeyId.of(ID, key.reference(), index + 1);
    }

    @Override
    public String toString() {
        return "AzureKeyVaultKeyProvider" + vaultDomains;
    }

    /** The Azure version id of Spalce's version {@code keyVersion.version()}, from the cache or a fresh listing. */
    private String versionId(KeyRef key, KmsKeyId keyVersion) {
        List<String> ids = versionIds.get(key.reference());
        if (ids == null || ids.size() < keyVersion.version()) {
            ids = listVersions(key, keyVersion).stream()
                    .map(KeyProperties::getVersion)
                    .toList();
        }
        if (ids.size() < keyVersion.version()) {
            throw new KeyUnavailableException(keyVersion, Reason.UNKNOWN_KEY);
        }
        return ids.get(keyVersion.version() - 1);
    }

    /** Every version of the key, oldest first, over every page; caches their ids. */
    private List<KeyProperties> listVersions(KeyRef key, KmsKeyId subject) {
        KeyAsyncClient vault = vault(key);
        List<KeyProperties> all = new ArrayList<>();
        String continuation = null;
        do {
            String page = continuation;
            PagedResponse<KeyProperties> response = calls.call(
                    "list-versions",
                    subject,
                    () -> await((page == null
                                    ? vault.listPropertiesOfKeyVersions(key.name())
                                            .byPage()
                                    : vault.listPropertiesOfKeyVersions(key.name())
                                            .byPage(page))
                            .next()),
                    failure -> classify(subject, failure, false));
            all.addAll(response.getValue());
            continuation = response.getContinuationToken();
        } while (continuation != null && !continuation.isEmpty());
        all.sort(Comparator.comparing(KeyProperties::getCreatedOn, Comparator.nullsLast(OffsetDateTime::compareTo))
                .thenComparing(KeyProperties::getVersion));
        for (KeyProperties version : all) {
            if (version.getVersion() == null
                    || !VERSION_ID.matcher(version.getVersion()).matches()) {
                throw new KeyUnavailableException(
                        subject,
                        Reason.PROVIDER_UNAVAILABLE,
                        new IllegalStateException("Key Vault listed a version without a well-formed id"));
            }
        }
        versionIds.put(
                key.reference(), all.stream().map(KeyProperties::getVersion).toList());
        return all;
    }

    private KeyAsyncClient vault(KeyRef key) {
        return vaults.computeIfAbsent(key.vaultUrl(), url -> {
            KeyClientBuilder builder = new KeyClientBuilder()
                    .vaultUrl(url)
                    .credential(connection.credential())
                    .httpClient(connection.http())
                    .retryPolicy(noRetry());
            if (!connection.verifyChallengeResource()) {
                builder.disableChallengeResourceVerification();
            }
            return builder.buildAsyncClient();
        });
    }

    private CryptographyAsyncClient crypto(KeyRef key, String versionId) {
        return keyVersions.computeIfAbsent(key.reference() + "/" + versionId, keyId -> {
            CryptographyClientBuilder builder = new CryptographyClientBuilder()
                    .keyIdentifier(keyId)
                    .credential(connection.credential())
                    .httpClient(connection.http())
                    .retryPolicy(noRetry())
                    .disableKeyCaching();
            if (!connection.verifyChallengeResource()) {
                builder.disableChallengeResourceVerification();
            }
            return builder.buildAsyncClient();
        });
    }

    /** No SDK retries: {@link KmsCalls} retries, so that every attempt takes its share of the request budget. */
    private static RetryPolicy noRetry() {
        return new RetryPolicy(new FixedDelay(0, Duration.ofMillis(1)));
    }

    private <T> T await(Mono<T> request) {
        T result = request.timeout(attemptTimeout).block();
        if (result == null) {
            throw new UncheckedIOException(new IOException("Key Vault answered without a body"));
        }
        return result;
    }

    private KeyRef keyOf(KmsKeyId keyVersion) {
        requireOwn(keyVersion);
        return KeyRef.parse(keyVersion.reference(), vaultDomains);
    }

    private static byte[] digest(WrapContext context) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(context.encode(FORMAT));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static byte[] blob(String versionId, byte[] ciphertext) {
        byte[] id = versionId.getBytes(StandardCharsets.US_ASCII);
        byte[] blob = new byte[2 + id.length + ciphertext.length];
        blob[0] = (byte) FORMAT;
        blob[1] = (byte) id.length;
        System.arraycopy(id, 0, blob, 2, id.length);
        System.arraycopy(ciphertext, 0, blob, 2 + id.length, ciphertext.length);
        return blob;
    }

    /** A stored {@code wrapped_dek}: the Azure version id and the RSA-OAEP-256 ciphertext. */
    private record Blob(String versionId, byte[] ciphertext) {
        static Blob parse(byte[] wrapped) {
            if (wrapped.length < 3 || wrapped[0] != FORMAT || wrapped[1] < 1 || 2 + wrapped[1] >= wrapped.length) {
                throw new BadCiphertextException("an azure-kv wrapped DEK is 0x02, the length and id of the Azure key "
                        + "version, then the RSA-OAEP-256 ciphertext");
            }
            String versionId = new String(wrapped, 2, wrapped[1], StandardCharsets.US_ASCII);
            if (!VERSION_ID.matcher(versionId).matches()) {
                throw new BadCiphertextException("the wrapped DEK names no well-formed Azure key version");
            }
            return new Blob(versionId, Arrays.copyOfRange(wrapped, 2 + wrapped[1], wrapped.length));
        }
    }

    /** A versionless key identifier: the vault's URL and the key's name. */
    /**
     * The versionless key identifier in lower case (Key Vault compares object identifiers case-insensitively),
     * without the default port 443, a trailing dot of the host or a trailing slash: {@code https://CONTOSO.vault
     * .azure.net:443/keys/K/} is {@code https://contoso.vault.azure.net/keys/k}.
     */
    @Override
    public String canonicalReference(String keyReference) {
        String canonical = canonical(keyReference);
        KeyRef.parse(canonical, vaultDomains);
        return canonical;
    }

    /** See {@link #canonicalReference}; without the vault-domain check. */
    static String canonical(String keyReference) {
        if (keyReference == null) {
            throw new IllegalArgumentException("an azure-kv key reference is required");
        }
        String lower = keyReference.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = CANONICAL_PARTS.matcher(lower);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("an azure-kv key reference is the key's identifier without a "
                    + "version, https://<vault>.vault.azure.net/keys/<name>");
        }
        return "https://" + matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2)) + "/keys/"
                + matcher.group(3);
    }

    private record KeyRef(String vaultUrl, String name) {
        static KeyRef parse(String reference, List<String> vaultDomains) {
            Matcher matcher = reference == null ? null : KEY_ID.matcher(reference);
            if (matcher == null || !matcher.matches()) {
                throw new IllegalArgumentException("an azure-kv key reference is the key's identifier without a "
                        + "version, https://<vault>.vault.azure.net/keys/<name>");
            }
            String host = URI.create(matcher.group(1)).getHost();
            if (host == null
                    || vaultDomains.stream()
                            .noneMatch(domain -> host.toLowerCase(Locale.ROOT).equals(domain)
                                    || host.toLowerCase(Locale.ROOT).endsWith("." + domain))) {
                throw new IllegalArgumentException("the vault of azure-kv key " + reference + " is not in a configured "
                        + "vault domain (spalce.crypto.azure-kv.vault-domains)");
            }
            return new KeyRef(matcher.group(1), matcher.group(2));
        }

        String reference() {
            return vaultUrl + "/keys/" + name;
        }
    }

    /** Key Vault's answers in provider-independent terms (see Key Vault's REST API error codes). */
    static Failure classify(KmsKeyId subject, RuntimeException failure, boolean unwrapping) {
        Throwable cause = Exceptions.unwrap(failure);
        if (cause instanceof HttpResponseException http && http.getResponse() != null) {
            int status = http.getResponse().getStatusCode();
            if (status == 429) {
                return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, http, true, "throttled");
            }
            if (status >= 500) {
                return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, http, true, "server-error");
            }
            if (status == 404) {
                return unavailable(subject, Reason.UNKNOWN_KEY, http, false, "unknown-key");
            }
            if (status == 403
                    && String.valueOf(http.getMessage())
                            .toLowerCase(Locale.ROOT)
                            .contains("disabled")) {
                return unavailable(subject, Reason.KEY_DISABLED, http, false, "key-disabled");
            }
            if (status == 401 || status == 403) {
                return unavailable(subject, Reason.ACCESS_DENIED, http, false, "access-denied");
            }
            if (status == 400 && unwrapping) {
                return new Failure(
                        new BadCiphertextException(
                                "wrapped DEK did not unwrap under " + subject + ": another key's, or modified"),
                        false,
                        "bad-ciphertext");
            }
            return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, http, false, "rejected");
        }
        if (cause instanceof ClientAuthenticationException denied) {
            // The token endpoint refused Spalce's application, or the vault is in a tenant not allowed.
            return unavailable(subject, Reason.ACCESS_DENIED, denied, false, "access-denied");
        }
        if (cause instanceof TimeoutException
                || cause instanceof IOException
                || cause instanceof UncheckedIOException
                || cause.getCause() instanceof IOException) {
            RuntimeException typed = cause instanceof RuntimeException runtime
                    ? runtime
                    : new UncheckedIOException(cause instanceof IOException io ? io : new IOException(cause));
            return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, typed, true, "unreachable");
        }
        return KmsCalls.typedOrUnexpected(subject, cause instanceof RuntimeException runtime ? runtime : failure);
    }
}
