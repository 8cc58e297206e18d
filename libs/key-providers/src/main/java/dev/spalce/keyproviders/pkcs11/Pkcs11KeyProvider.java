package dev.spalce.keyproviders.pkcs11;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * Provider {@code pkcs11}: CMKs in a PKCS#11 token (an HSM; SoftHSM2 in tests) through Java's SunPKCS11. Each CMK
 * version is an AES-256 secret key generated inside the token as a token object labelled
 * {@code <reference>#v<version>}, sensitive and never extractable ({@code CKA_SENSITIVE=true},
 * {@code CKA_EXTRACTABLE=false}) and usable only to encrypt and decrypt. DEKs are wrapped with AES/GCM/NoPadding
 * inside the token, in {@link AesGcmKeyWrap wrapped-key format 0x01} with the {@link WrapContext} as AAD (the
 * token's C_WrapKey mechanisms are not used: SunPKCS11's key-wrap ciphers do not work with SoftHSM2).
 *
 * <p>When an unwrap fails authentication the provider first checks that the token still encrypts and decrypts
 * correctly with that key, so that a failing HSM is reported as unavailable, never as a bad wrapped DEK.
 *
 * <p>Key references are 1 to 64 characters of {@code [A-Za-z0-9._-]}. Plain Java, no CDI.
 */
public final class Pkcs11KeyProvider implements KeyProvider {

    public static final String ID = "pkcs11";

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The context of the probe DEK a self-test wraps: no real record has it (a tenant id cannot contain ':'). */
    private static final WrapContext SELF_TEST = WrapContext.of("spalce:self-test", "self-test", "self-test");

    private final Provider jca;
    private final KeyStore token;
    private final char[] pin;
    private final Map<String, Key> handles = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Where the token is: the PKCS#11 library and the slot, chosen either by slot id or by its index in the
     * library's slot list (0 if neither is given).
     *
     * @param library the PKCS#11 module (a shared library)
     * @param slot the slot id
     * @param slotListIndex the slot's index in the slot list
     */
    public record Token(Path library, OptionalLong slot, OptionalInt slotListIndex) {
        public Token {
            Objects.requireNonNull(library, "library");
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(slotListIndex, "slotListIndex");
            if (slot.isPresent() && slotListIndex.isPresent()) {
                throw new IllegalArgumentException("choose the PKCS#11 slot by id or by list index, not both");
            }
        }
    }

    private Pkcs11KeyProvider(Provider jca, KeyStore token, char[] pin) {
        this.jca = jca;
        this.token = token;
        this.pin = pin.clone();
    }

    /**
     * Configures a SunPKCS11 instance for the token and logs in as its user. The caller keeps, and may erase,
     * {@code pin}.
     *
     * @throws IllegalStateException if the library, slot or PIN is wrong, or this JDK has no SunPKCS11
     */
    public static Pkcs11KeyProvider open(Token location, char[] pin) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(pin, "pin");
        if (!Files.isRegularFile(location.library())) {
            throw new IllegalStateException("the PKCS#11 library " + location.library() + " does not exist");
        }
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new IllegalStateException("this JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
        }
        Provider jca;
        try {
            jca = base.configure("--" + configuration(location));
        } catch (ProviderException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new IllegalStateException(
                    "SunPKCS11 could not open the token of " + location.library() + " (wrong library or slot?)", e);
        }
        try {
            KeyStore token = KeyStore.getInstance("PKCS11", jca);
            token.load(null, pin);
            return new Pkcs11KeyProvider(jca, token, pin);
        } catch (IOException e) {
            throw new IllegalStateException("could not log in to the PKCS#11 token (wrong PIN?)", e);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new IllegalStateException("could not open the PKCS#11 token's key store", e);
        }
    }

    /**
     * The SunPKCS11 configuration: the token, and the template every generated AES key gets. The key stays inside
     * the token ({@code CKA_SENSITIVE}, not {@code CKA_EXTRACTABLE}) and can only encrypt and decrypt.
     */
    static String configuration(Token location) {
        StringBuilder config = new StringBuilder()
                .append("name = spalce\n")
                .append("library = \"")
                .append(location.library().toAbsolutePath())
                .append("\"\n");
        location.slot().ifPresent(slot -> config.append("slot = ").append(slot).append('\n'));
        location.slotListIndex()
                .ifPresent(
                        index -> config.append("slotListIndex = ").append(index).append('\n'));
        return config.append("""
                attributes(generate, CKO_SECRET_KEY, CKK_AES) = {
                  CKA_SENSITIVE = true
                  CKA_EXTRACTABLE = false
                  CKA_ENCRYPT = true
                  CKA_DECRYPT = true
                  CKA_WRAP = false
                  CKA_UNWRAP = false
                  CKA_SIGN = false
                  CKA_VERIFY = false
                }
                """).toString();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public WrappedKey wrap(KmsKeyId keyVersion, DataKey dek, WrapContext context) {
        return loggedIn(() -> {
            Key cmk = handle(keyVersion);
            try {
                return new WrappedKey(keyVersion, AesGcmKeyWrap.wrap(cmk, jca, dek, context));
            } catch (GeneralSecurityException | ProviderException e) {
                throw failure(keyVersion, e);
            }
        });
    }

    @Override
    public DataKey unwrap(KmsKeyId keyVersion, byte[] wrappedDek, WrapContext context) {
        return loggedIn(() -> unwrapOnce(keyVersion, wrappedDek, context));
    }

    private DataKey unwrapOnce(KmsKeyId keyVersion, byte[] wrappedDek, WrapContext context) {
        Key cmk = handle(keyVersion);
        try {
            return AesGcmKeyWrap.unwrap(cmk, jca, wrappedDek, context);
        } catch (AEADBadTagException e) {
            // SoftHSM2 (and other tokens) report a failed tag as CKR_GENERAL_ERROR, which a broken token can
            // return too: only a token that still passes a round trip with this key may call the DEK bad.
            if (!selfTest(cmk)) {
                throw new KeyUnavailableException(keyVersion, Reason.PROVIDER_UNAVAILABLE, e);
            }
            throw new BadCiphertextException(
                    "wrapped DEK did not authenticate: another key version, another record's context, or modified");
        } catch (GeneralSecurityException | ProviderException e) {
            throw failure(keyVersion, e);
        }
    }

    @Override
    public KeyDescription describe(String keyReference) {
        requireReference(keyReference);
        KmsKeyId first = KmsKeyId.of(ID, keyReference, 1);
        TreeSet<Integer> versions = versions(keyReference, first);
        if (versions.isEmpty()) {
            throw new KeyUnavailableException(first, Reason.UNKNOWN_KEY);
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
        synchronized (token) {
            TreeSet<Integer> versions = versions(keyReference, first);
            if (versions.isEmpty()) {
                throw new KeyUnavailableException(first, Reason.UNKNOWN_KEY);
            }
            return generate(KmsKeyId.of(ID, keyReference, versions.last() + 1));
        }
    }

    @Override
    public boolean canCreateKeys() {
        return true;
    }

    @Override
    public KmsKeyId createKey() {
        String reference = "cmk-" + UUID.randomUUID();
        synchronized (token) {
            return generate(KmsKeyId.of(ID, reference, 1));
        }
    }

    /** Destroys every version's token object (C_DestroyObject through the key store's deleteEntry). */
    @Override
    public int destroyKey(String keyReference) {
        requireReference(keyReference);
        KmsKeyId first = KmsKeyId.of(ID, keyReference, 1);
        synchronized (token) {
            TreeSet<Integer> versions = versions(keyReference, first);
            for (int version : versions) {
                KmsKeyId keyVersion = KmsKeyId.of(ID, keyReference, version);
                try {
                    token.deleteEntry(alias(keyVersion));
                } catch (GeneralSecurityException | ProviderException e) {
                    throw failure(keyVersion, e);
                } finally {
                    handles.remove(alias(keyVersion));
                }
            }
            return versions.size();
        }
    }

    /**
     * The token's handle to one CMK version, e.g. for a test to show that its material cannot be read: the
     * handle's {@code getEncoded()} is null.
     */
    public Key keyHandle(KmsKeyId keyVersion) {
        return handle(keyVersion);
    }

    /**
     * Forgets the key handles and the PIN. It does not log out: a PKCS#11 login belongs to the whole process, and
     * logging out here would log out every other instance on the same token too; the login ends with the process.
     */
    @Override
    public void close() {
        closed = true;
        handles.clear();
        Arrays.fill(pin, '\0');
    }

    @Override
    public String toString() {
        return "Pkcs11KeyProvider[" + jca.getName() + "]";
    }

    private KmsKeyId generate(KmsKeyId keyVersion) {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES", jca);
            generator.init(256);
            SecretKey sessionKey = generator.generateKey();
            // Copies the key inside the token into a labelled token object (C_CopyObject): nothing leaves it.
            String alias = alias(keyVersion);
            token.setEntry(alias, new KeyStore.SecretKeyEntry(sessionKey), null);
            handles.remove(alias);
            return keyVersion;
        } catch (GeneralSecurityException | ProviderException e) {
            throw failure(keyVersion, e);
        }
    }

    private TreeSet<Integer> versions(String reference, KmsKeyId subject) {
        String prefix = reference + "#v";
        TreeSet<Integer> versions = new TreeSet<>();
        synchronized (token) {
            try {
                refresh();
                for (String alias : Collections.list(token.aliases())) {
                    if (alias.startsWith(prefix) && token.isKeyEntry(alias)) {
                        String number = alias.substring(prefix.length());
                        if (number.matches("[1-9][0-9]{0,8}")) {
                            versions.add(Integer.parseInt(number));
                        }
                    }
                }
            } catch (GeneralSecurityException | IOException | ProviderException e) {
                throw failure(subject, e);
            }
        }
        return versions;
    }

    private Key handle(KmsKeyId keyVersion) {
        requireOwn(keyVersion);
        requireOpen();
        if (!REFERENCE.matcher(keyVersion.reference()).matches()) {
            throw new KeyUnavailableException(keyVersion, Reason.UNKNOWN_KEY);
        }
        String alias = alias(keyVersion);
        Key cached = handles.get(alias);
        if (cached != null) {
            return cached;
        }
        synchronized (token) {
            try {
                Key key = token.getKey(alias, null);
                if (key == null) {
                    // Another instance may have created it since this key store last read the token.
                    refresh();
                    key = token.getKey(alias, null);
                }
                if (key == null) {
                    throw new KeyUnavailableException(keyVersion, Reason.UNKNOWN_KEY);
                }
                handles.put(alias, key);
                return key;
            } catch (GeneralSecurityException | IOException | ProviderException e) {
                throw failure(keyVersion, e);
            }
        }
    }

    /**
     * Runs an operation; if the token says the user is not logged in (the HSM restarted, or its sessions were
     * closed), logs in again and retries once.
     */
    private <T> T loggedIn(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (KeyUnavailableException e) {
            if (e.reason() != Reason.ACCESS_DENIED || !causeChain(e).contains("CKR_USER_NOT_LOGGED_IN")) {
                throw e;
            }
            synchronized (token) {
                try {
                    refresh();
                } catch (IOException | GeneralSecurityException | ProviderException again) {
                    throw e;
                }
            }
            return operation.get();
        }
    }

    /** Re-reads the token's objects (and logs in again if the session was lost). */
    private void refresh() throws IOException, GeneralSecurityException {
        token.load(null, pin);
    }

    private boolean selfTest(Key cmk) {
        try (DataKey probe = DataKey.generate()) {
            byte[] wrapped = AesGcmKeyWrap.wrap(cmk, jca, probe, SELF_TEST);
            AesGcmKeyWrap.unwrap(cmk, jca, wrapped, SELF_TEST).close();
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Maps what SunPKCS11 reports (its PKCS11Exception is not public API: only its CKR_ name is used). */
    private RuntimeException failure(KmsKeyId keyVersion, Exception e) {
        String message = causeChain(e);
        if (message.contains("CKR_OBJECT_HANDLE_INVALID") || message.contains("CKR_KEY_HANDLE_INVALID")) {
            handles.remove(alias(keyVersion));
            return new KeyUnavailableException(keyVersion, Reason.UNKNOWN_KEY, e);
        }
        if (message.contains("CKR_KEY_FUNCTION_NOT_PERMITTED") || message.contains("CKR_KEY_TYPE_INCONSISTENT")) {
            return new KeyUnavailableException(keyVersion, Reason.KEY_DISABLED, e);
        }
        if (message.contains("CKR_PIN_") || message.contains("CKR_USER_NOT_LOGGED_IN")) {
            return new KeyUnavailableException(keyVersion, Reason.ACCESS_DENIED, e);
        }
        return new KeyUnavailableException(keyVersion, Reason.PROVIDER_UNAVAILABLE, e);
    }

    /** The messages of a failure and its causes, where SunPKCS11 puts the token's CKR_ return value. */
    private static String causeChain(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null && text.length() < 4096; cause = cause.getCause()) {
            text.append(cause.getMessage()).append(' ');
        }
        return text.toString();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this PKCS#11 provider has been closed");
        }
    }

    private static String alias(KmsKeyId keyVersion) {
        return keyVersion.reference() + "#v" + keyVersion.version();
    }

    private static void requireReference(String keyReference) {
        if (keyReference == null || !REFERENCE.matcher(keyReference).matches()) {
            throw new IllegalArgumentException(
                    "a pkcs11 key reference is 1 to 64 characters of [A-Za-z0-9._-], starting with a letter or digit");
        }
    }
}
