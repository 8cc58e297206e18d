package dev.spalce.keyproviders.aws;

import static dev.spalce.keyproviders.remote.KmsCalls.unavailable;

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
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsAsyncClient;
import software.amazon.awssdk.services.kms.KmsAsyncClientBuilder;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListKeyRotationsResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;

/**
 * Provider {@code aws-kms}: tenants' CMKs are symmetric AWS KMS keys ({@code SYMMETRIC_DEFAULT},
 * {@code ENCRYPT_DECRYPT}), named by their key ARN (never an alias, which its owner can point at another key). A DEK
 * is wrapped with {@code Encrypt} and unwrapped with {@code Decrypt} naming the key, both with
 * {@link WrapContext#asEncryptionContext() the wrap context} as encryption context; a rewrap is a server-side
 * {@code ReEncrypt}, so the DEK never comes back to Spalce. The {@code wrapped_dek} is the KMS ciphertext blob as
 * AWS returns it.
 *
 * <p>Versions: AWS KMS keeps every key material a key ever had and picks the right one from the ciphertext blob;
 * it always encrypts under the newest. Version {@code n} of a key is the key after its {@code n-1}th rotation,
 * counted with {@code ListKeyRotations} (automatic and on-demand rotations alike); a new version is a
 * {@code RotateKeyOnDemand}. The version in a {@code kms_key_id} therefore tells which rotation period wrapped the
 * DEK (what rewrap needs); a DEK wraps under AWS's current material whatever version is asked for.
 *
 * <p>AWS decrypts with whichever key material the ciphertext blob names, whatever version a {@code kms_key_id}
 * says. So an unwrap checks what AWS reports it used: the {@code KeyId} of the {@code Decrypt} answer must be the
 * key's ARN, and its {@code KeyMaterialId} is mapped to a version through {@code ListKeyRotations} with
 * {@code IncludeKeyMaterial=ALL_KEY_MATERIAL} (the first key material, then one per rotation, oldest first; cached,
 * since a key's materials are only ever added). A material of a version older than the row's label means the row
 * was relabelled (AWS never encrypts under an older material than the current one): refused as a bad wrapped key;
 * a version the caller does not allow (retired) is refused as disabled. {@code ReEncrypt}'s
 * {@code SourceKeyMaterialId} is checked the same way before its result is used.
 *
 * <p>Every request goes through {@link KmsCalls} (request budget, retries with backoff on
 * {@code ThrottlingException}, 5xx and network failures, metrics); the SDK's own retries are off. Plain Java.
 */
public final class AwsKmsKeyProvider implements KeyProvider {

    public static final String ID = "aws-kms";

    private static final Pattern KEY_ARN =
            Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-)?[A-Za-z0-9-]{1,64}");

    /** Partition, Region, account and key id of a key ARN. */
    private static final Pattern ARN_PARTS = Pattern.compile("(arn:aws[a-z-]*):kms:([a-z0-9-]+):([0-9]{12}):key/(.+)");

    private final KmsAsyncClient kms;
    private final KmsCalls calls;
    /** Per key ARN, the ids of its key materials, version 1 first. */
    private final Map<String, List<String>> materialIds = new ConcurrentHashMap<>();

    /**
     * @param kms a client whose own retries are off (see {@link #client})
     * @param calls the budget, retry policy and metrics of this provider
     */
    public AwsKmsKeyProvider(KmsAsyncClient kms, KmsCalls calls) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.calls = Objects.requireNonNull(calls, "calls");
    }

    /**
     * The KMS client this provider expects: Netty, an attempt timeout, and no SDK retries ({@link KmsCalls} retries,
     * so that every attempt takes its share of the request budget).
     *
     * @param endpointOverride a VPC or FIPS endpoint, if the network needs one
     */
    public static KmsAsyncClient client(
            String region,
            Optional<URI> endpointOverride,
            AwsCredentialsProvider credentials,
            Duration attemptTimeout) {
        KmsAsyncClientBuilder builder = KmsAsyncClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .connectionTimeout(attemptTimeout)
                        .connectionAcquisitionTimeout(attemptTimeout))
                .overrideConfiguration(config -> config.apiCallAttemptTimeout(attemptTimeout)
                        .apiCallTimeout(attemptTimeout)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public WrappedKey wrap(KmsKeyId keyVersion, DataKey dek, WrapContext context) {
        String arn = arnOf(keyVersion);
        byte[] raw;
        try (SecretBytes plaintext = dek.plaintext(InsecureKeyAccess.get())) {
            raw = plaintext.toByteArray(InsecureKeyAccess.get());
        }
        try {
            // Unsafe: the SDK uses this array without a copy of its own, so zeroing it below leaves no copy here.
            SdkBytes plaintext = SdkBytes.fromByteArrayUnsafe(raw);
            byte[] blob = calls.call(
                    "wrap",
                    keyVersion,
                    () -> await(kms.encrypt(request -> request.keyId(arn)
                                    .plaintext(plaintext)
                                    .encryptionContext(context.asEncryptionContext())))
                            .ciphertextBlob()
                            .asByteArray(),
                    failure -> classify(keyVersion, failure));
            return new WrappedKey(keyVersion, blob);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    @Override
    public DataKey unwrap(KmsKeyId keyVersion, byte[] wrappedDek, WrapContext context) {
        return unwrap(keyVersion, wrappedDek, context, version -> true);
    }

    @Override
    public DataKey unwrap(KmsKeyId keyVersion, byte[] wrappedDek, WrapContext context, IntPredicate allowed) {
        String arn = arnOf(keyVersion);
        if (wrappedDek.length == 0) {
            throw new BadCiphertextException("an AWS KMS wrapped DEK is never empty");
        }
        SdkBytes blob = SdkBytes.fromByteArray(wrappedDek);
        DecryptResponse response = calls.call(
                "unwrap",
                keyVersion,
                () -> await(kms.decrypt(request ->
                        request.keyId(arn).ciphertextBlob(blob).encryptionContext(context.asEncryptionContext()))),
                failure -> classify(keyVersion, failure));
        byte[] raw = response.plaintext().asByteArrayUnsafe();
        try {
            requireMaterialAllowed(keyVersion, response.keyId(), response.keyMaterialId(), allowed);
            if (raw.length != DataKey.LENGTH_BYTES) {
                throw new BadCiphertextException(
                        "the AWS KMS ciphertext does not hold a " + DataKey.LENGTH_BYTES + "-byte DEK");
            }
            try (SecretBytes plaintext = SecretBytes.copyOf(raw)) {
                return DataKey.fromPlaintext(plaintext);
            }
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    @Override
    public WrappedKey rewrap(KmsKeyId from, KmsKeyId to, byte[] wrappedDek, WrapContext context) {
        return rewrap(from, to, wrappedDek, context, version -> true);
    }

    @Override
    public WrappedKey rewrap(KmsKeyId from, KmsKeyId to, byte[] wrappedDek, WrapContext context, IntPredicate allowed) {
        String source = arnOf(from);
        String destination = arnOf(to);
        if (wrappedDek.length == 0) {
            throw new BadCiphertextException("an AWS KMS wrapped DEK is never empty");
        }
        SdkBytes blob = SdkBytes.fromByteArray(wrappedDek);
        Map<String, String> encryptionContext = context.asEncryptionContext();
        ReEncryptResponse response = calls.call(
                "rewrap",
                from,
                () -> await(kms.reEncrypt(request -> request.ciphertextBlob(blob)
                        .sourceKeyId(source)
                        .sourceEncryptionContext(encryptionContext)
                        .destinationKeyId(destination)
                        .destinationEncryptionContext(encryptionContext))),
                failure -> classify(from, failure));
        // The new blob is only kept if the old one was what its label says: a relabelled row is not laundered.
        requireMaterialAllowed(from, response.sourceKeyId(), response.sourceKeyMaterialId(), allowed);
        return new WrappedKey(to, response.ciphertextBlob().asByteArray());
    }

    @Override
    public boolean rewrapsServerSide() {
        return true;
    }

    /**
     * The key ARN in lower case (AWS writes every part of a key ARN in lower case: partition, service, Region,
     * account digits, key id), so that {@code …:key/1234ABCD-…} is {@code …:key/1234abcd-…}.
     */
    @Override
    public String canonicalReference(String keyReference) {
        String canonical = keyReference == null ? null : keyReference.trim().toLowerCase(java.util.Locale.ROOT);
        requireArn(canonical);
        return canonical;
    }

    /**
     * The ARN, except for a multi-Region key ({@code mrk-} key id): its replicas in other Regions share its key
     * material and decrypt each other's ciphertexts, so its identity leaves the Region out.
     */
    @Override
    public String keyIdentity(String canonicalReference) {
        Matcher arn = ARN_PARTS.matcher(canonicalReference);
        if (arn.matches() && arn.group(4).startsWith("mrk-")) {
            return arn.group(1) + ":kms:*:" + arn.group(3) + ":key/" + arn.group(4);
        }
        return canonicalReference;
    }

    @Override
    public KeyDescription describe(String keyReference) {
        requireArn(keyReference);
        KmsKeyId subject = KmsKeyId.of(ID, keyReference, 1);
        KeyMetadata metadata = calls.call(
                "describe",
                subject,
                () -> await(kms.describeKey(request -> request.keyId(keyReference)))
                        .keyMetadata(),
                failure -> classify(subject, failure));
        if (metadata.keySpec() != KeySpec.SYMMETRIC_DEFAULT || metadata.keyUsage() != KeyUsageType.ENCRYPT_DECRYPT) {
            throw new IllegalArgumentException("AWS KMS key " + keyReference + " is not a symmetric encryption key "
                    + "(key spec SYMMETRIC_DEFAULT, usage ENCRYPT_DECRYPT)");
        }
        if (metadata.keyManager() == KeyManagerType.AWS) {
            throw new IllegalArgumentException("AWS KMS key " + keyReference + " is an AWS managed key: register a "
                    + "customer managed key, whose policy the customer controls");
        }
        if (metadata.keyState() != KeyState.ENABLED) {
            throw new KeyUnavailableException(subject, Reason.KEY_DISABLED);
        }
        int current = rotations(keyReference) + 1;
        List<KeyDescription.Version> versions = IntStream.rangeClosed(1, current)
                .mapToObj(version -> new KeyDescription.Version(version, true))
                .toList();
        return new KeyDescription(keyReference, current, versions);
    }

    @Override
    public KmsKeyId createVersion(String keyReference) {
        requireArn(keyReference);
        KmsKeyId subject = KmsKeyId.of(ID, keyReference, 1);
        // Counted before the rotation: AWS may list an on-demand rotation only once it has completed.
        int before = rotations(keyReference);
        calls.call(
                "rotate",
                subject,
                () -> await(kms.rotateKeyOnDemand(request -> request.keyId(keyReference))),
                failure -> classify(subject, failure));
        return KmsKeyId.of(ID, keyReference, before + 2);
    }

    @Override
    public void close() {
        kms.close();
    }

    @Override
    public String toString() {
        return "AwsKmsKeyProvider";
    }

    /**
     * Fails unless AWS decrypted with this key ({@code usedKeyId}) and with the key material of a version at least
     * the labelled one that {@code allowed} accepts.
     */
    private void requireMaterialAllowed(KmsKeyId label, String usedKeyId, String usedMaterialId, IntPredicate allowed) {
        if (!label.reference().equals(usedKeyId)) {
            throw new BadCiphertextException("AWS KMS decrypted with another key than " + label.reference());
        }
        if (usedMaterialId == null || usedMaterialId.isEmpty()) {
            // Fail closed: without it, a relabelled row of a retired version would unwrap.
            throw new IllegalStateException("AWS KMS did not name the key material it decrypted with; "
                    + "the key's retired versions cannot be enforced");
        }
        int used = versionOfMaterial(label, usedMaterialId);
        if (used < label.version()) {
            throw new BadCiphertextException("the wrapped DEK is of version " + used + " of " + label.reference()
                    + ", not version " + label.version() + " its kms_key_id names");
        }
        if (!allowed.test(used)) {
            throw new KeyUnavailableException(label.withVersion(used), Reason.KEY_DISABLED);
        }
    }

    /** The version whose key material is {@code materialId}, listing the key's materials again on a miss. */
    private int versionOfMaterial(KmsKeyId label, String materialId) {
        List<String> known = materialIds.get(label.reference());
        int index = known == null ? -1 : known.indexOf(materialId);
        if (index < 0) {
            known = listMaterials(label.reference());
            materialIds.put(label.reference(), known);
            index = known.indexOf(materialId);
        }
        if (index < 0) {
            // Listings are eventually consistent: a material just created by a rotation may not be listed yet.
            throw new KeyUnavailableException(label, Reason.PROVIDER_UNAVAILABLE);
        }
        return index + 1;
    }

    /** Every key material of the key, the first one first and then one per rotation, oldest first. */
    private List<String> listMaterials(String keyReference) {
        KmsKeyId subject = KmsKeyId.of(ID, keyReference, 1);
        List<RotationsListEntry> entries = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            ListKeyRotationsResponse response = calls.call(
                    "list-rotations",
                    subject,
                    () -> await(kms.listKeyRotations(request -> request.keyId(keyReference)
                            .marker(page)
                            .includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))),
                    failure -> classify(subject, failure));
            entries.addAll(response.rotations());
            marker = Boolean.TRUE.equals(response.truncated()) ? response.nextMarker() : null;
        } while (marker != null);
        // The first key material has no rotation date; rotations follow in date order.
        return entries.stream()
                .sorted(Comparator.comparing(
                        RotationsListEntry::rotationDate, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(RotationsListEntry::keyMaterialId)
                .toList();
    }

    /** Rotations the key has had, over every page of {@code ListKeyRotations}. */
    private int rotations(String keyReference) {
        KmsKeyId subject = KmsKeyId.of(ID, keyReference, 1);
        int count = 0;
        String marker = null;
        do {
            String page = marker;
            ListKeyRotationsResponse response = calls.call(
                    "list-rotations",
                    subject,
                    () -> await(kms.listKeyRotations(
                            request -> request.keyId(keyReference).marker(page))),
                    failure -> classify(subject, failure));
            count += response.rotations().size();
            marker = Boolean.TRUE.equals(response.truncated()) ? response.nextMarker() : null;
        } while (marker != null);
        return count;
    }

    private String arnOf(KmsKeyId keyVersion) {
        requireOwn(keyVersion);
        requireArn(keyVersion.reference());
        return keyVersion.reference();
    }

    private static void requireArn(String keyReference) {
        if (keyReference == null || !KEY_ARN.matcher(keyReference).matches()) {
            throw new IllegalArgumentException("an aws-kms key reference is the key's ARN, "
                    + "arn:aws:kms:<region>:<account>:key/<key id>; aliases are not accepted");
        }
    }

    /** Waits for an SDK future, rethrowing what failed it (the SDK's own exception) unwrapped. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** AWS KMS's errors in provider-independent terms; see the API reference's "Errors" of each operation. */
    static Failure classify(KmsKeyId subject, RuntimeException failure) {
        if (failure instanceof InvalidCiphertextException || failure instanceof IncorrectKeyException) {
            return new Failure(
                    new BadCiphertextException("wrapped DEK did not decrypt under " + subject.reference()
                            + " with this record's encryption context: another key's, another record's, or modified"),
                    false,
                    "bad-ciphertext");
        }
        if (failure instanceof NotFoundException) {
            return unavailable(subject, Reason.UNKNOWN_KEY, failure, false, "unknown-key");
        }
        if (failure instanceof DisabledException
                || failure instanceof KmsInvalidStateException
                || failure instanceof InvalidKeyUsageException) {
            return unavailable(subject, Reason.KEY_DISABLED, failure, false, "key-disabled");
        }
        if (failure instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null
                    ? ""
                    : service.awsErrorDetails().errorCode();
            if (service.isThrottlingException()) {
                return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, true, "throttled");
            }
            if (service.statusCode() >= 500
                    || "KMSInternalException".equals(code)
                    || "DependencyTimeoutException".equals(code)
                    || "KeyUnavailableException".equals(code)) {
                return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, true, "server-error");
            }
            if (service.statusCode() == 403
                    || "AccessDeniedException".equals(code)
                    || "UnrecognizedClientException".equals(code)
                    || "InvalidSignatureException".equals(code)) {
                return unavailable(subject, Reason.ACCESS_DENIED, failure, false, "access-denied");
            }
            return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, false, "rejected");
        }
        if (failure instanceof SdkClientException) {
            // No answer: refused connection, timeout, TLS failure, or no credentials found.
            return unavailable(subject, Reason.PROVIDER_UNAVAILABLE, failure, true, "unreachable");
        }
        return KmsCalls.typedOrUnexpected(subject, failure);
    }
}
