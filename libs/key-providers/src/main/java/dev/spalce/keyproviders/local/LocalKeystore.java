package dev.spalce.keyproviders.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * A PKCS#12 file holding one AES-256 key per CMK version, under the alias {@code <reference>#v<version>}, each key
 * encrypted under the passphrase (PBES2: PBKDF2-HMAC-SHA256 and AES-256) and the whole file authenticated by an
 * HMAC keyed from the passphrase. Any PKCS#12 tool opens it ({@code keytool -list -storetype PKCS12}).
 *
 * <p>Keys are added, never replaced; they are removed only when a deleted workspace's key is destroyed
 * ({@link #removeAllVersions}), which also drops them from this instance's cache (another process that had read the
 * key keeps it in memory until it restarts, but crypto-service no longer lets anything reach a destroyed key).
 * Writers take an exclusive lock (in this JVM and, through a {@code .lock} file beside the keystore,
 * across processes), re-read the file, add the key and replace the file atomically, so that two instances on one
 * file never lose each other's keys. Readers that miss an alias re-read the file if it changed.
 */
final class LocalKeystore implements AutoCloseable {

    private static final String TYPE = "PKCS12";
    private static final String KEY_PROTECTION = "PBEWithHmacSHA256AndAES_256";
    private static final FileAttribute<?> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<?> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    /** File locks belong to the whole JVM: instances on one file in this JVM serialise on this lock first. */
    private static final Map<Path, ReentrantLock> WRITERS_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final char[] passphrase;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SecretKey> cache = new ConcurrentHashMap<>();

    // Guarded by this.
    private KeyStore store;
    private Object loadedVersion;
    private boolean closed;

    LocalKeystore(Path file, char[] passphrase) {
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.passphrase = passphrase.clone();
        synchronized (this) {
            reloadIfChanged();
        }
    }

    Path file() {
        return file;
    }

    /** The key under {@code alias} if this instance has already read or made it; never touches the file. */
    Optional<SecretKey> cached(String alias) {
        return Optional.ofNullable(cache.get(alias));
    }

    /** The key under {@code alias}, if the keystore has it. */
    Optional<SecretKey> key(String alias) {
        Optional<SecretKey> cached = cached(alias);
        if (cached.isPresent()) {
            return cached;
        }
        synchronized (this) {
            requireOpen();
            SecretKey key = read(alias);
            if (key == null && reloadIfChanged()) {
                key = read(alias);
            }
            return Optional.ofNullable(key);
        }
    }

    /** The versions stored for {@code reference}, ascending; empty if none. */
    synchronized TreeSet<Integer> versions(String reference) {
        requireOpen();
        reloadIfChanged();
        return versionsLoaded(reference);
    }

    /**
     * Adds the next version of {@code reference} (1 if it has none) and returns its number.
     *
     * @param mustExist if true and the reference has no version yet, nothing is added and 0 is returned
     */
    int addNextVersion(String reference, boolean mustExist) {
        ReentrantLock inJvm = WRITERS_IN_THIS_JVM.computeIfAbsent(file, ignored -> new ReentrantLock());
        inJvm.lock();
        try (FileChannel channel = openLockFile()) {
            FileLock acrossProcesses = channel.lock();
            try {
                return addLocked(reference, mustExist);
            } finally {
                acrossProcesses.release();
            }
        } catch (IOException e) {
            throw new LocalKeystoreException("could not write the local keystore " + file, e);
        } finally {
            inJvm.unlock();
        }
    }

    /** Removes every version of {@code reference} and rewrites the file; returns how many were removed. */
    int removeAllVersions(String reference) {
        ReentrantLock inJvm = WRITERS_IN_THIS_JVM.computeIfAbsent(file, ignored -> new ReentrantLock());
        inJvm.lock();
        try (FileChannel channel = openLockFile()) {
            FileLock acrossProcesses = channel.lock();
            try {
                return removeLocked(reference);
            } finally {
                acrossProcesses.release();
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new LocalKeystoreException("could not remove a key from the local keystore " + file, e);
        } finally {
            inJvm.unlock();
        }
    }

    private int removeLocked(String reference) throws IOException, GeneralSecurityException {
        synchronized (this) {
            requireOpen();
            reloadIfChanged();
            TreeSet<Integer> versions = versionsLoaded(reference);
            if (versions.isEmpty()) {
                return 0;
            }
            for (int version : versions) {
                String alias = LocalKeyProvider.alias(reference, version);
                store.deleteEntry(alias);
                cache.remove(alias);
            }
            try {
                persist();
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                // The file still holds them: read it again rather than believe they are gone.
                loadedVersion = null;
                throw e;
            }
            return versions.size();
        }
    }

    private int addLocked(String reference, boolean mustExist) throws IOException {
        try {
            synchronized (this) {
                requireOpen();
                reloadIfChanged();
                TreeSet<Integer> versions = versionsLoaded(reference);
                if (mustExist && versions.isEmpty()) {
                    return 0;
                }
                int next = versions.isEmpty() ? 1 : versions.last() + 1;
                String alias = LocalKeyProvider.alias(reference, next);
                SecretKey key = newAes256Key();
                store.setEntry(
                        alias,
                        new KeyStore.SecretKeyEntry(key),
                        new KeyStore.PasswordProtection(passphrase, KEY_PROTECTION, null));
                try {
                    persist();
                } catch (IOException | GeneralSecurityException | RuntimeException e) {
                    // A key that is not on disk must never wrap anything.
                    store.deleteEntry(alias);
                    throw e;
                }
                cache.put(alias, key);
                return next;
            }
        } catch (GeneralSecurityException e) {
            throw new LocalKeystoreException("could not add a key to the local keystore " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        cache.clear();
        store = null;
        Arrays.fill(passphrase, '\0');
    }

    @Override
    public String toString() {
        return "LocalKeystore[" + file + "]";
    }

    private SecretKey read(String alias) {
        try {
            if (!store.isKeyEntry(alias)) {
                return null;
            }
            SecretKey key = (SecretKey) store.getKey(alias, passphrase);
            cache.put(alias, key);
            return key;
        } catch (GeneralSecurityException e) {
            throw new LocalKeystoreException("the local keystore " + file + " holds an unreadable entry", e);
        }
    }

    private TreeSet<Integer> versionsLoaded(String reference) {
        String prefix = reference + "#v";
        TreeSet<Integer> versions = new TreeSet<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (alias.startsWith(prefix)) {
                    String number = alias.substring(prefix.length());
                    if (number.matches("[1-9][0-9]{0,8}")) {
                        versions.add(Integer.parseInt(number));
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new LocalKeystoreException("could not list the local keystore " + file, e);
        }
        return versions;
    }

    /** Re-reads the file if it changed since it was last read (or was never read); returns whether it did. */
    private boolean reloadIfChanged() {
        Object onDisk = fileVersion();
        if (store != null && Objects.equals(onDisk, loadedVersion)) {
            return false;
        }
        try {
            KeyStore fresh = KeyStore.getInstance(TYPE);
            if (onDisk == null) {
                fresh.load(null, passphrase);
            } else {
                try (InputStream in = Files.newInputStream(file)) {
                    fresh.load(in, passphrase);
                }
            }
            store = fresh;
            loadedVersion = onDisk;
            return true;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new LocalKeystoreException(
                        "the local keystore " + file
                                + " does not open with the configured passphrase (spalce.crypto.local.passphrase)",
                        null);
            }
            throw new LocalKeystoreException("could not read the local keystore " + file, e);
        } catch (GeneralSecurityException e) {
            throw new LocalKeystoreException("the local keystore " + file + " is not a readable PKCS#12 file", e);
        }
    }

    /** Identifies the file's current content: its inode (replaced on every write) and modification time. */
    private Object fileVersion() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Arrays.asList(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            throw new LocalKeystoreException("could not read the local keystore " + file, e);
        }
    }

    private void persist() throws IOException, GeneralSecurityException {
        Path directory = file.getParent();
        createPrivateDirectories(directory);
        Path temporary = createPrivateTempFile(directory);
        try {
            try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.WRITE)) {
                store.store(out, passphrase);
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        loadedVersion = fileVersion();
    }

    private FileChannel openLockFile() throws IOException {
        createPrivateDirectories(lockFile.getParent());
        return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private SecretKey newAes256Key() throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256, random);
        return generator.generateKey();
    }

    private static void createPrivateDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory, OWNER_ONLY_DIRECTORY);
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException raced) {
            // another writer created it
        }
    }

    private Path createPrivateTempFile(Path directory) throws IOException {
        String prefix = file.getFileName() + ".";
        try {
            return Files.createTempFile(directory, prefix, ".tmp", OWNER_ONLY_FILE);
        } catch (UnsupportedOperationException notPosix) {
            return Files.createTempFile(directory, prefix, ".tmp");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the local keystore has been closed");
        }
    }

    /** The keystore file cannot be read or written. Its message names the file, never a key or the passphrase. */
    static final class LocalKeystoreException extends RuntimeException {
        LocalKeystoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
