package dev.spalce.keyproviders;

import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KmsKeyId;
import java.util.function.IntPredicate;

/**
 * A place where customer master keys (CMKs) live and do their one job: wrapping and unwrapping data keys (DEKs).
 * A CMK never leaves its provider. Implementations are plain Java (no CDI), so that they can be used in-process,
 * e.g. by the benchmarks; crypto-service adapts them in {@code provider.service.KeyProviders}.
 *
 * <p>Failures are reported in provider-independent terms, so that callers never handle a provider's own exceptions:
 * <ul>
 *   <li>{@link KeyUnavailableException} with its {@link KeyUnavailableException.Reason}: the key or version is not
 *       known ({@code UNKNOWN_KEY}), is disabled or destroyed ({@code KEY_DISABLED}), Spalce's access to it was
 *       revoked ({@code ACCESS_DENIED}), or the provider did not answer or throttled ({@code PROVIDER_UNAVAILABLE},
 *       the only transient one);</li>
 *   <li>{@link BadCiphertextException}: the wrapped DEK does not authenticate under that key version and
 *       {@link WrapContext} (modified, another record's or tenant's, or wrapped under another key). A provider
 *       reports it only when it is sure the provider itself is healthy: an outage is never a bad ciphertext.</li>
 *   <li>{@link IllegalArgumentException}: a {@link KmsKeyId} of another provider, or a malformed key reference.</li>
 * </ul>
 * No exception message, log line or {@code toString} of an implementation contains key material.
 *
 * <p>Methods may block (network, HSM, file system): crypto-service calls them off the event loop, with a bounded
 * concurrency and a timeout. Implementations are thread-safe.
 */
public interface KeyProvider extends AutoCloseable {

    /** The provider id, the first part of every {@link KmsKeyId} it serves: {@code local}, {@code pkcs11}, {@code aws-kms}. */
    String id();

    /**
     * Wraps {@code dek} under one version of a CMK, bound to {@code context}. The caller still owns, and closes,
     * {@code dek}.
     */
    WrappedKey wrap(KmsKeyId keyVersion, DataKey dek, WrapContext context);

    /**
     * Unwraps a DEK wrapped by {@link #wrap} under {@code keyVersion} with the same {@code context}. The caller owns,
     * and closes, the returned key.
     */
    DataKey unwrap(KmsKeyId keyVersion, byte[] wrappedDek, WrapContext context);

    /**
     * Unwraps like {@link #unwrap(KmsKeyId, byte[], WrapContext)}, and refuses unless {@code allowed} accepts the
     * version whose key material actually unwrapped the DEK: a retired version unwraps nothing, whatever
     * {@code kms_key_id} a stored row carries. Where the wrap itself names and authenticates its version (local,
     * pkcs11 and gcp-kms bind it in the authenticated data or key; vault-transit and azure-kv check the version the
     * ciphertext names against {@code keyVersion}), the version that unwraps is {@code keyVersion}'s, which this
     * default checks. A provider whose KMS picks the key material from the ciphertext (AWS KMS) overrides it.
     *
     * @throws KeyUnavailableException {@code KEY_DISABLED} if {@code allowed} refuses the version used
     */
    default DataKey unwrap(KmsKeyId keyVersion, byte[] wrappedDek, WrapContext context, IntPredicate allowed) {
        requireAllowed(keyVersion, allowed);
        return unwrap(keyVersion, wrappedDek, context);
    }

    /**
     * Moves a wrapped DEK like {@link #rewrap(KmsKeyId, KmsKeyId, byte[], WrapContext)}, refusing it unless
     * {@code allowed} accepts the version that actually unwrapped it (see
     * {@link #unwrap(KmsKeyId, byte[], WrapContext, IntPredicate)}).
     */
    default WrappedKey rewrap(
            KmsKeyId from, KmsKeyId to, byte[] wrappedDek, WrapContext context, IntPredicate allowed) {
        if (!rewrapsServerSide()) {
            try (DataKey dek = unwrap(from, wrappedDek, context, allowed)) {
                return wrap(to, dek, context);
            }
        }
        requireAllowed(from, allowed);
        return rewrap(from, to, wrappedDek, context);
    }

    /**
     * Moves a wrapped DEK from one version of a CMK to another, keeping its context. Providers with a server-side
     * re-encrypt (AWS KMS ReEncrypt, Vault rewrap) override this so that the DEK never appears in plaintext here;
     * the default unwraps and wraps again inside crypto-service, closing the DEK at once. Either way the payload the
     * DEK protects is never touched.
     */
    default WrappedKey rewrap(KmsKeyId from, KmsKeyId to, byte[] wrappedDek, WrapContext context) {
        try (DataKey dek = unwrap(from, wrappedDek, context)) {
            return wrap(to, dek, context);
        }
    }

    /** Whether {@link #rewrap} runs inside the provider, without the DEK passing through crypto-service. */
    default boolean rewrapsServerSide() {
        return false;
    }

    /**
     * The versions of a CMK as the provider knows them.
     *
     * @throws KeyUnavailableException {@code UNKNOWN_KEY} if the provider has no such key
     */
    KeyDescription describe(String keyReference);

    /**
     * Creates a new version of a CMK, which becomes the newest; older versions keep unwrapping what they wrapped.
     *
     * @return the new version's id
     */
    KmsKeyId createVersion(String keyReference);

    /**
     * The one spelling of a key reference this provider stores and compares: every alias of the same key
     * reference (letter case the provider ignores, a default port, a prefix the provider accepts) maps to it.
     * Registration stores this form, so a {@code kms_key_id} names a key one way only.
     *
     * @throws IllegalArgumentException if {@code keyReference} is not a reference of this provider
     */
    default String canonicalReference(String keyReference) {
        return keyReference;
    }

    /**
     * What a key is, for the rule that one key serves one workspace: two canonical references with the same
     * identity name the same key, or keys that decrypt each other's ciphertexts (AWS multi-Region replicas). By
     * default the canonical reference itself.
     */
    default String keyIdentity(String canonicalReference) {
        return canonicalReference;
    }

    /** Whether {@link #createKey} works: true where crypto-service may mint a tenant's key (local, pkcs11). */
    default boolean canCreateKeys() {
        return false;
    }

    /**
     * Creates a new CMK with a reference of the provider's choosing, at version 1.
     *
     * @throws UnsupportedOperationException where {@link #canCreateKeys()} is false: the workspace brings its own key
     */
    default KmsKeyId createKey() {
        throw new UnsupportedOperationException("provider " + id() + " does not create keys; register an existing key");
    }

    /**
     * Destroys every version of a key this provider created ({@link #createKey}): its material is gone from the
     * provider, and nothing it wrapped can be unwrapped again, by anyone. Destroying a key that has no version left
     * succeeds (a repeated call after a crash). Only where {@link #canCreateKeys()}: a key the customer brought is
     * theirs to disable, never Spalce's to destroy.
     *
     * @return how many versions were destroyed by this call
     * @throws UnsupportedOperationException where {@link #canCreateKeys()} is false
     */
    default int destroyKey(String keyReference) {
        throw new UnsupportedOperationException("provider " + id() + " does not destroy keys it did not create");
    }

    /** Releases the provider's resources (sessions, cached keys). Idempotent. */
    @Override
    default void close() {}

    /** Fails with {@code KEY_DISABLED} unless {@code allowed} accepts {@code keyVersion}'s version. */
    static void requireAllowed(KmsKeyId keyVersion, IntPredicate allowed) {
        if (!allowed.test(keyVersion.version())) {
            throw new KeyUnavailableException(keyVersion, KeyUnavailableException.Reason.KEY_DISABLED);
        }
    }

    /** Fails unless {@code keyId} belongs to this provider. */
    default void requireOwn(KmsKeyId keyId) {
        if (!id().equals(keyId.provider())) {
            throw new IllegalArgumentException(
                    "key " + keyId + " belongs to provider " + keyId.provider() + ", not " + id());
        }
    }
}
