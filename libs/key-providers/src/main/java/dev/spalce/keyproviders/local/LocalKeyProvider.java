package dev.spalce.keyproviders.local;

import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KeyUnavailableException.Reason;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.AesGcmKeyWrap;
import dev.spalce.keyproviders.KeyDescription;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.local.LocalKeystore.LocalKeystoreException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * Provider {@code local}: CMKs in a {@link LocalKeystore versioned PKCS#12 file} protected by a passphrase,
 * wrapping DEKs in-process with AES-256-GCM ({@link AesGcmKeyWrap wrapped-key format 0x01}). The embedded default
 * for development and single-node installations; it is exactly as safe as the passphrase and the file's
 * permissions, which is why crypto-service refuses it in the prod profile unless explicitly allowed
 * ({@code LocalProviderGuard}).
 *
 * <p>Key references are 1 to 128 characters of {@code [a-z0-9._-]}, starting with a letter or digit (PKCS#12
 * aliases are case-insensitive). Plain Java: usable without crypto-service, e.g. by the benchmarks.
 */
public final class LocalKeyProvider implements KeyProvider {

    public static final String ID = "local";

    /** A passphrase shorter than this is refused: it would be the weakest link of every tenant's key. */
    public static final int MIN_PASSPHRASE_CHARS = 16;

    private static final Pattern REFERENCE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

    private final LocalKeystore keystore;

    private LocalKeyProvider(LocalKeystore keystore) {
        this.keystore = keystore;
    }

    /**
     * Opens (or, on its first write, creates) the keystore at {@code file}. The caller keeps, and may erase,
     * {@code passphrase}; the provider holds its own copy until {@link #close()}.
     *
     * @throws IllegalArgumentException if the passphrase is shorter than {@value #MIN_PASSPHRASE_CHARS} characters
     * @throws IllegalStateException if the file exists and does not open with the passphrase
     */
    public static LocalKeyProvider open(Path file, char[] passphrase) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(passphrase, "passphrase");
        if (passphrase.length < MIN_PASSPHRASE_CHARS) {
            throw new IllegalArgumentException(
                    "the local keystore passphrase must be at least " + MIN_PASSPHRASE_CHARS + " characters");
        }
        try {
            return new LocalKeyProvider(new LocalKeystore(file, passphrase));
        } catch (LocalKeystoreException e) {
            throw new IllegalStateException(e.getMessage(), e.getCause());
        }
    }

    @Override
    public String id() {
        return ID;
    }

    /** The keystore file. */
    public Path keystoreFile() {
        return keystore.file();
    }

    @Override
    public WrappedKey wrap(KmsKeyId keyVersion, DataKey dek, WrapContext context) {
        SecretKey cmk = cmk(keyVersion);
        try {
            return new WrappedKey(keyVersion, AesGcmKeyWrap.wrap(cmk, null, dek, context));
        } catch (GeneralSecurityException e) {
            throw new KeyUnavailableException(keyVersion, Reason.PROVIDER_UNAVAILABLE, e);
        }
    }

    @Override
    public DataKey unwrap(KmsKeyId keyVersion, byte[] wrappedDek, WrapContext context) {
        SecretKey cmk = cmk(keyVersion);
        try {
            return AesGcmKeyWrap.unwrap(cmk, null, wrappedDek, context);
        } catch (AEADBadTagException e) {
            throw new BadCiphertextException(
                    "wrapped DEK did not authenticate: another key version, another record's context, or modified");
        } catch (GeneralSecurityException e) {
            throw new KeyUnavailableException(keyVersion, Reason.PROVIDER_UNAVAILABLE, e);
        }
    }

    /** Lower case: the keystore's PKCS#12 aliases ignore letter case, so {@code Tenant-1} is {@code tenant-1}. */
    @Override
    public String canonicalReference(String keyReference) {
        String canonical = keyReference == null ? null : keyReference.toLowerCase(java.util.Locale.ROOT);
        requireReference(canonical);
        return canonical;
    }

    @Override
    public KeyDescription describe(String keyReference) {
        requireReference(keyReference);
        TreeSet<Integer> versions = call(() -> keystore.versions(keyReference), KmsKeyId.of(ID, keyReference, 1));
        if (versions.isEmpty()) {
            throw new KeyUnavailableException(KmsKeyId.of(ID, keyReference, 1), Reason.UNKNOWN_KEY);
        }
        List<KeyDescription.Version> described = versions.stream()
                .map(version -> new KeyDescription.Version(version, true))
                .toList();
        return new KeyDescription(keyReference, versions.last(), described);
    }

    @Override
    public KmsKeyId createVersion(String keyReference) {
        requireReference(keyReference);
        KmsKeyId first = KmsKeyId.of(ID, keyReference, 1);
        int created = call(() -> keystore.addNextVersion(keyReference, true), first);
        if (created == 0) {
            throw new KeyUnavailableException(first, Reason.UNKNOWN_KEY);
        }
        return KmsKeyId.of(ID, keyReference, created);
    }

    @Override
    public boolean canCreateKeys() {
        return true;
    }

    @Override
    public KmsKeyId createKey() {
        String reference = "cmk-" + UUID.randomUUID();
        int created = call(() -> keystore.addNextVersion(reference, false), KmsKeyId.of(ID, reference, 1));
        return KmsKeyId.of(ID, reference, created);
    }

    /**
     * Removes every version of the key from the keystore file, which is rewritten without them. Copies of the file
     * made before (backups, snapshots) still hold them: see docs/deletion.md.
     */
    @Override
    public int destroyKey(String keyReference) {
        requireReference(keyReference);
        return call(() -> keystore.removeAllVersions(keyReference), KmsKeyId.of(ID, keyReference, 1));
    }

    @Override
    public void close() {
        keystore.close();
    }

    @Override
    public String toString() {
        return "LocalKeyProvider[" + keystore.file() + "]";
    }

    static String alias(String reference, int version) {
        return reference + "#v" + version;
    }

    private SecretKey cmk(KmsKeyId keyVersion) {
        requireOwn(keyVersion);
        String alias = alias(keyVersion.reference(), keyVersion.version());
        // Every alias in the cache was made from a reference that matched REFERENCE, and no KmsKeyId reference
        // holds the '#' that ends it, so a hit needs no second check: only a miss, which reads the file, does.
        Optional<SecretKey> cached = keystore.cached(alias);
        if (cached.isPresent()) {
            return cached.get();
        }
        if (!REFERENCE.matcher(keyVersion.reference()).matches()) {
            throw new KeyUnavailableException(keyVersion, Reason.UNKNOWN_KEY);
        }
        return call(() -> keystore.key(alias), keyVersion)
                .orElseThrow(() -> new KeyUnavailableException(keyVersion, Reason.UNKNOWN_KEY));
    }

    private static void requireReference(String keyReference) {
        if (keyReference == null || !REFERENCE.matcher(keyReference).matches()) {
            throw new IllegalArgumentException(
                    "a local key reference is 1 to 128 characters of [a-z0-9._-], starting with a letter or digit");
        }
    }

    /** Runs a keystore operation; a keystore that cannot be read or written makes the provider unavailable. */
    private static <T> T call(java.util.function.Supplier<T> operation, KmsKeyId subject) {
        try {
            return operation.get();
        } catch (LocalKeystoreException e) {
            throw new KeyUnavailableException(subject, Reason.PROVIDER_UNAVAILABLE, e);
        }
    }
}
