package dev.spalce.cryptoservice.support;

import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KeyUnavailableException.Reason;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.KeyDescription;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.local.LocalKeyProvider;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A stand-in for a remote KMS whose failures a test switches on and off: provider id {@value #ID}, registered as
 * a CDI bean the way the cloud providers will be. While {@link Mode#UP} it is a real local keystore of its own
 * (real AES-GCM wraps); in the other modes every call fails the way a KMS reports that state. It also records the
 * threads its calls ran on and how many ran at once.
 */
@ApplicationScoped
public class OutageKeyProvider implements KeyProvider {

    public static final String ID = "test-outage";

    public enum Mode {
        /** Works. */
        UP,
        /** Works, taking 50 ms a call. */
        SLOW,
        /** Fails as an outage (throttling, 5xx, no answer). */
        DOWN,
        /** Blocks past crypto-service's deadline, then fails. */
        HANGING,
        /** The customer revoked Spalce's access to the key. */
        REVOKED,
        /** The key version is disabled in the KMS. */
        DISABLED
    }

    private static volatile Mode mode = Mode.UP;
    private static final java.util.concurrent.atomic.AtomicInteger IN_FLIGHT =
            new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger MAX_IN_FLIGHT =
            new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.Set<String> THREADS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Forgets the recorded concurrency and threads. */
    public static void resetObservations() {
        MAX_IN_FLIGHT.set(0);
        THREADS.clear();
    }

    /** The most calls that ran at the same time since the last reset. */
    public static int maxConcurrentCalls() {
        return MAX_IN_FLIGHT.get();
    }

    /** The names of the threads that ran calls since the last reset. */
    public static java.util.Set<String> callThreads() {
        return java.util.Set.copyOf(THREADS);
    }

    private final LocalKeyProvider keys = LocalKeyProvider.open(
            Path.of("target", "outage-provider", UUID.randomUUID() + ".p12"),
            "outage-provider-test-passphrase".toCharArray());

    public static void set(Mode newMode) {
        mode = newMode;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public WrappedKey wrap(KmsKeyId keyVersion, DataKey dek, WrapContext context) {
        available(keyVersion);
        WrappedKey wrapped = keys.wrap(local(keyVersion), dek, context);
        return new WrappedKey(keyVersion, wrapped.bytes());
    }

    @Override
    public DataKey unwrap(KmsKeyId keyVersion, byte[] wrappedDek, WrapContext context) {
        THREADS.add(Thread.currentThread().getName());
        MAX_IN_FLIGHT.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
        try {
            available(keyVersion);
            return keys.unwrap(local(keyVersion), wrappedDek, context);
        } finally {
            IN_FLIGHT.decrementAndGet();
        }
    }

    @Override
    public KeyDescription describe(String keyReference) {
        available(KmsKeyId.of(ID, keyReference, 1));
        return keys.describe(keyReference);
    }

    @Override
    public KmsKeyId createVersion(String keyReference) {
        available(KmsKeyId.of(ID, keyReference, 1));
        KmsKeyId created = keys.createVersion(keyReference);
        return KmsKeyId.of(ID, created.reference(), created.version());
    }

    @Override
    public boolean canCreateKeys() {
        return true;
    }

    @Override
    public KmsKeyId createKey() {
        available(KmsKeyId.of(ID, "new", 1));
        KmsKeyId created = keys.createKey();
        return KmsKeyId.of(ID, created.reference(), created.version());
    }

    @PreDestroy
    @Override
    public void close() {
        keys.close();
    }

    private static KmsKeyId local(KmsKeyId keyVersion) {
        return KmsKeyId.of(LocalKeyProvider.ID, keyVersion.reference(), keyVersion.version());
    }

    private static void available(KmsKeyId subject) {
        switch (mode) {
            case UP -> {}
            case SLOW -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case DOWN -> throw new KeyUnavailableException(subject, Reason.PROVIDER_UNAVAILABLE);
            case REVOKED -> throw new KeyUnavailableException(subject, Reason.ACCESS_DENIED);
            case DISABLED -> throw new KeyUnavailableException(subject, Reason.KEY_DISABLED);
            case HANGING -> {
                try {
                    Thread.sleep(4_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new KeyUnavailableException(subject, Reason.PROVIDER_UNAVAILABLE);
            }
        }
    }
}
