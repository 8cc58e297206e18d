package dev.spalce.cryptoservice.tenantkey.service;

import dev.spalce.contracts.keys.CmkRotated;
import dev.spalce.contracts.keys.KeyState;
import dev.spalce.contracts.keys.KeyVersionState;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.cryptoservice.common.api.CryptoProblems;
import dev.spalce.cryptoservice.provider.service.KeyProviders;
import dev.spalce.cryptoservice.provider.service.ProviderCalls;
import dev.spalce.cryptoservice.tenantkey.config.RotationConfig;
import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import dev.spalce.cryptoservice.tenantkey.repository.TenantKeyRepository;
import dev.spalce.cryptoservice.tenantkey.repository.TenantKeyVersionRepository;
import dev.spalce.keyproviders.KeyDescription;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.persistence.SqlStates;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The tenant key registry: registering a workspace's CMK, its rotation policy, rotations (on demand and
 * scheduled), the lifecycle of its versions, changes to another key and the detachment of the keys changed from. Every change writes its events to the outbox in the same
 * transaction ({@link KeyEventPublisher}).
 *
 * <p>Changes to one workspace's key serialise on its row ({@code SELECT ... FOR UPDATE}). A provider call made
 * inside such a transaction (creating a version) runs off the event loop; if the process dies after the provider
 * created a version and before the commit, the provider holds an unused version and the registry never names it:
 * nothing was wrapped under it, and the next rotation uses the number after it.
 */
@ApplicationScoped
public class TenantKeyService {

    private static final Logger LOG = Logger.getLogger(TenantKeyService.class);

    private final TenantKeyRepository keys;
    private final TenantKeyVersionRepository versions;
    private final KeyProviders providers;
    private final ProviderCalls calls;
    private final KeyEventPublisher events;
    private final RotationConfig rotation;

    public TenantKeyService(
            TenantKeyRepository keys,
            TenantKeyVersionRepository versions,
            KeyProviders providers,
            ProviderCalls calls,
            KeyEventPublisher events,
            RotationConfig rotation) {
        this.keys = keys;
        this.versions = versions;
        this.providers = providers;
        this.calls = calls;
        this.events = events;
        this.rotation = rotation;
    }

    /**
     * Registers the workspace's CMK: an existing key of the provider ({@code keyReference}), or, when
     * {@code keyReference} is null, a new key the provider creates (local, pkcs11).
     *
     * @param rotationPeriodDays the rotation period, or null for the default
     */
    public Uni<TenantKeyState> register(
            String workspaceId, String providerId, String keyReference, Integer rotationPeriodDays, ActingParty by) {
        int period = rotationPeriodDays == null ? rotation.defaultPeriodDays() : requirePeriod(rotationPeriodDays);
        KeyProvider provider = providerFor(providerId, keyReference);
        String canonical = keyReference == null ? null : canonicalReference(provider, keyReference);
        return Panache.withTransaction(() -> keys.isShredded(workspaceId)
                        .invoke(shredded -> {
                            if (shredded) {
                                throw CryptoProblems.workspaceDeleted();
                            }
                        })
                        .chain(() -> keys.findCurrent(workspaceId))
                        .chain(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().failure(CryptoProblems.keyAlreadyRegistered(workspaceId));
                            }
                            return describeUnused(workspaceId, provider, canonical)
                                    .map(description ->
                                            newKey(workspaceId, provider, description, canonical == null, period, by))
                                    .chain(key -> persist(key)
                                            .chain(() -> events.registered(key.key(), by))
                                            .replaceWith(
                                                    () -> new TenantKeyState(key.key(), key.versions(), List.of())));
                        }))
                .onFailure(SqlStates::isUniqueViolation)
                .transform(failure -> CryptoProblems.keyAlreadyRegistered(workspaceId));
    }

    /**
     * Replaces the workspace's CMK by another key, of the same provider or another: an existing key of the provider
     * ({@code keyReference}), or, when it is null, a new key the provider creates (local, pkcs11). The new key is
     * current at once (new DEKs are wrapped under it); the old one becomes previous and still unwraps the DEKs
     * stored under it until rewrap-worker, started by the {@code cmk.changed} event, has moved every one and then
     * detaches it ({@link #detachFormerKeys}). The new key keeps the old one's rotation period.
     *
     * <p>Refused: a key that is this workspace's current key or any other's, ever (409
     * {@code workspace-key-already-registered}); a change while the previous one is still being moved (409
     * {@code key-change-in-progress}): one change at a time keeps every stored DEK on one of at most two keys.
     */
    public Uni<TenantKeyState> changeKey(String workspaceId, String providerId, String keyReference, ActingParty by) {
        KeyProvider provider = providerFor(providerId, keyReference);
        String canonical = keyReference == null ? null : canonicalReference(provider, keyReference);
        return Panache.withTransaction(() -> lockedKey(workspaceId)
                        .chain(old -> keys.listFormer(workspaceId).chain(former -> {
                            Optional<TenantKey> moving = former.stream()
                                    .filter(key -> key.state == KeyState.PREVIOUS)
                                    .findFirst();
                            if (moving.isPresent()) {
                                return Uni.createFrom()
                                        .failure(CryptoProblems.keyChangeInProgress(
                                                workspaceId, moving.get().provider, moving.get().keyReference));
                            }
                            return describeUnused(workspaceId, provider, canonical)
                                    .map(description -> newKey(
                                            workspaceId,
                                            provider,
                                            description,
                                            canonical == null,
                                            old.rotationPeriodDays,
                                            by))
                                    .chain(fresh -> {
                                        Instant now = Instant.now();
                                        old.state = KeyState.PREVIOUS;
                                        old.replacedAt = now;
                                        old.updatedAt = now;
                                        // The old key stops being current before the new one is written: one
                                        // current key per workspace is a unique index, and Hibernate would
                                        // otherwise insert before it updates.
                                        return keys.flush()
                                                .chain(() -> persist(fresh))
                                                .chain(() -> events.changed(old, fresh.key(), by))
                                                .replaceWith(fresh.key());
                                    });
                        })))
                .onFailure(SqlStates::isUniqueViolation)
                .transform(failure -> CryptoProblems.keyAlreadyRegistered(workspaceId))
                .chain(key -> Panache.withSession(() -> readState(workspaceId)));
    }

    /**
     * Detaches the workspace's previous keys once every stored DEK is on {@code rewrappedTo}, a version of the
     * current key (rewrap-worker says so when a job completes): each becomes detached, all its versions retired (it
     * unwraps nothing, and Spalce never calls it again), and an audit event tells the Owner they may disable it in
     * their KMS. The keys detached; none when there were none.
     */
    @WithTransaction
    public Uni<List<TenantKey>> detachFormerKeys(String workspaceId, String rewrappedTo, ActingParty by) {
        KmsKeyId target = parseKeyId(rewrappedTo);
        return lockedKey(workspaceId).chain(current -> {
            if (!current.owns(target)) {
                return Uni.createFrom()
                        .failure(CryptoProblems.notTheCurrentKey(rewrappedTo, current.currentKmsKeyId()));
            }
            return keys.listFormer(workspaceId)
                    .map(former -> former.stream()
                            .filter(key -> key.state == KeyState.PREVIOUS)
                            .toList())
                    .chain(previous -> Multi.createFrom()
                            .iterable(previous)
                            .onItem()
                            .transformToUniAndConcatenate(key -> {
                                Instant now = Instant.now();
                                key.state = KeyState.DETACHED;
                                key.detachedAt = now;
                                key.updatedAt = now;
                                return versions.retireAll(key.keyId, now)
                                        .chain(() -> events.detached(key, current, by))
                                        .replaceWith(key);
                            })
                            .collect()
                            .asList());
        });
    }

    /** One of a deleted workspace's keys after shredding, with how many versions the registry knew. */
    public record Shredded(TenantKey key, long versions) {}

    /**
     * Shreds every key the workspace has had, for its deletion (docs/deletion.md): a key crypto-service created
     * (local, pkcs11) has every version destroyed in its provider first, then becomes destroyed; a customer's key
     * becomes detached, Spalce never calls it again, and its owner is told to disable it. Every version is retired
     * either way, and the workspace has no current key left, so nothing of it is minted, unwrapped or rewrapped
     * again. Idempotent: a key already shredded is reported as it is; a destruction that succeeded before a crash
     * lost the commit destroys nothing the second time. Nothing is published: the gateway writes what this
     * returns into the workspace's final audit entry, after which its chain takes no event.
     */
    @WithTransaction
    public Uni<List<Shredded>> shred(String workspaceId) {
        return keys.lockAll(workspaceId)
                .chain(all -> Multi.createFrom()
                        .iterable(all)
                        .onItem()
                        .transformToUniAndConcatenate(this::shredOne)
                        .collect()
                        .asList());
    }

    private Uni<Shredded> shredOne(TenantKey key) {
        Uni<Void> done;
        if (key.shreddedAt != null) {
            done = Uni.createFrom().voidItem();
        } else {
            Uni<Void> destroyed =
                    key.keyCreated ? destroy(key) : Uni.createFrom().voidItem();
            done = destroyed.chain(() -> {
                Instant now = Instant.now();
                if (key.state == KeyState.CURRENT) {
                    key.replacedAt = now;
                }
                if (key.keyCreated) {
                    key.state = KeyState.DESTROYED;
                } else {
                    key.state = KeyState.DETACHED;
                    key.detachedAt = key.detachedAt == null ? now : key.detachedAt;
                }
                key.shreddedAt = now;
                key.updatedAt = now;
                return versions.retireAll(key.keyId, now).replaceWithVoid();
            });
        }
        return done.chain(() -> versions.countFor(key.keyId)).map(count -> new Shredded(key, count));
    }

    private Uni<Void> destroy(TenantKey key) {
        KeyProvider provider = providers.find(key.provider).orElse(null);
        if (provider == null) {
            LOG.errorf(
                    "workspace %s's key is at provider %s, which this instance does not serve: it cannot be destroyed",
                    key.workspaceId, key.provider);
            return Uni.createFrom().failure(CryptoProblems.providerUnavailable(key.provider, null));
        }
        return calls.run(() -> provider.destroyKey(key.keyReference))
                .onFailure()
                .transform(failure -> CryptoProblems.fromProviderFailure(key.provider, failure))
                .invoke(count -> LOG.infof(
                        "destroyed %d version(s) of %s key %s of deleted workspace %s",
                        count, key.provider, key.keyReference, key.workspaceId))
                .replaceWithVoid();
    }

    /** The workspace's CMK, the keys it changed from, and their versions. */
    @WithSession
    public Uni<TenantKeyState> read(String workspaceId) {
        return readState(workspaceId);
    }

    private Uni<TenantKeyState> readState(String workspaceId) {
        return keys.listWithVersions(workspaceId)
                .map(rows -> TenantKeyState.of(rows).orElseThrow(() -> CryptoProblems.keyNotRegistered(workspaceId)));
    }

    /** The version new DEKs of the workspace are wrapped under (a plain query: no session is opened for it). */
    public Uni<KmsKeyId> currentVersion(String workspaceId) {
        return keys.findCurrentVersion(workspaceId).map(current -> {
            if (current == null) {
                throw CryptoProblems.keyNotRegistered(workspaceId);
            }
            return current;
        });
    }

    /** Sets the rotation period; the next rotation falls one period after the last one, possibly at once. */
    @WithTransaction
    public Uni<TenantKeyState> setRotationPolicy(String workspaceId, int rotationPeriodDays, ActingParty by) {
        requirePeriod(rotationPeriodDays);
        return lockedKey(workspaceId)
                .chain(key -> {
                    int previous = key.rotationPeriodDays;
                    if (previous == rotationPeriodDays) {
                        return Uni.createFrom().item(key);
                    }
                    key.changeRotationPeriod(rotationPeriodDays, Instant.now());
                    return events.rotationPolicyChanged(key, previous, by).replaceWith(key);
                })
                .chain(key -> withVersions(key));
    }

    /** Rotates the workspace's CMK now: a new version becomes current. */
    @WithTransaction
    public Uni<TenantKeyState> rotate(String workspaceId, ActingParty by) {
        return lockedKey(workspaceId)
                .chain(key -> rotateLocked(key, CmkRotated.Reason.ON_DEMAND, by))
                .chain(this::withVersions);
    }

    /**
     * Rotates the one workspace whose rotation has been due longest, if any, in its own transaction. A rotation
     * that fails (provider down) is recorded on the key and retried after {@link RotationConfig#retryDelay()}.
     *
     * @return the workspace it attempted, or empty when none is due
     */
    public Uni<Optional<String>> rotateNextDue() {
        AtomicReference<String> attempted = new AtomicReference<>();
        return Panache.withTransaction(() -> keys.lockNextDue(Instant.now()).chain(key -> {
                    if (key == null) {
                        return Uni.createFrom().item(Optional.<String>empty());
                    }
                    attempted.set(key.workspaceId);
                    return rotateLocked(key, CmkRotated.Reason.SCHEDULED, ActingParty.SCHEDULER)
                            .map(rotated -> Optional.of(rotated.workspaceId));
                }))
                .onFailure(failure -> attempted.get() != null)
                .recoverWithUni(failure -> {
                    String workspaceId = attempted.get();
                    LOG.warnf(
                            "scheduled rotation of workspace %s failed, retrying in %s: %s",
                            workspaceId, rotation.retryDelay(), describe(failure));
                    Instant now = Instant.now();
                    return Panache.withTransaction(() -> keys.recordRotationFailure(
                                    workspaceId, describe(failure), now.plus(rotation.retryDelay()), now))
                            .replaceWith(Optional.of(workspaceId));
                });
    }

    /** Moves one version to another lifecycle state. The current version stays enabled; retired is final. */
    @WithTransaction
    public Uni<TenantKeyState> changeVersionState(
            String workspaceId, int version, KeyVersionState target, ActingParty by) {
        return lockedKey(workspaceId)
                .chain(key -> versions.findVersion(key.keyId, version).chain(row -> {
                    if (row == null) {
                        return Uni.createFrom()
                                .failure(CryptoProblems.unknownKeyVersion(key.currentKmsKeyId()
                                        .withVersion(Math.max(version, 1))
                                        .toString()));
                    }
                    if (row.state == target) {
                        return Uni.createFrom().item(key);
                    }
                    if (row.version == key.currentVersion) {
                        return Uni.createFrom()
                                .failure(CryptoProblems.invalidStateChange("version " + version
                                        + " is the current version and stays enabled; rotate first"));
                    }
                    if (row.state == KeyVersionState.RETIRED) {
                        return Uni.createFrom()
                                .failure(CryptoProblems.invalidStateChange(
                                        "version " + version + " is retired, which is final"));
                    }
                    KeyVersionState previous = row.state;
                    row.state = target;
                    row.stateChangedAt = Instant.now();
                    return events.versionStateChanged(key, row, previous, by).replaceWith(key);
                }))
                .chain(this::withVersions);
    }

    private Uni<TenantKey> lockedKey(String workspaceId) {
        return keys.lockCurrent(workspaceId).map(key -> {
            if (key == null) {
                throw CryptoProblems.keyNotRegistered(workspaceId);
            }
            return key;
        });
    }

    private Uni<TenantKeyState> withVersions(TenantKey key) {
        return versions.listFor(key.workspaceId)
                .chain(list -> keys.listFormer(key.workspaceId).map(former -> new TenantKeyState(key, list, former)));
    }

    private Uni<TenantKey> rotateLocked(TenantKey key, CmkRotated.Reason reason, ActingParty by) {
        Optional<KeyProvider> provider = providers.find(key.provider);
        if (provider.isEmpty()) {
            LOG.errorf(
                    "workspace %s uses key provider %s, which this instance does not serve",
                    key.workspaceId, key.provider);
            return Uni.createFrom().failure(CryptoProblems.providerUnavailable(key.provider, null));
        }
        return calls.run(() -> provider.get().createVersion(key.keyReference))
                .onFailure()
                .transform(failure -> CryptoProblems.fromProviderFailure(key.provider, failure))
                .chain(created -> {
                    if (!created.provider().equals(key.provider)
                            || !created.reference().equals(key.keyReference)
                            || created.version() <= key.currentVersion) {
                        return Uni.createFrom()
                                .failure(new IllegalStateException("key provider " + key.provider + " created "
                                        + created + " while the current version is " + key.currentVersion));
                    }
                    Instant now = Instant.now();
                    int previous = key.currentVersion;
                    key.makeCurrent(created.version(), now);
                    return versions.persist(TenantKeyVersion.enabled(key, created, now))
                            .chain(() -> events.rotated(key, previous, reason, by))
                            .replaceWith(key);
                });
    }

    /**
     * The provider a key is registered with: enabled on this deployment, and able to create keys when no
     * {@code keyReference} names an existing one.
     */
    private KeyProvider providerFor(String providerId, String keyReference) {
        KeyProvider provider = providers
                .find(providerId)
                .orElseThrow(() -> CryptoProblems.unsupportedProvider(providerId, "is not enabled on this deployment"));
        if (keyReference == null && !provider.canCreateKeys()) {
            throw CryptoProblems.unsupportedProvider(
                    providerId, "cannot create keys: name an existing key in keyReference");
        }
        return provider;
    }

    /** A key not yet written, with its versions. */
    private record NewKey(TenantKey key, List<TenantKeyVersion> versions) {}

    /**
     * The provider's description of the key to register: an existing one no workspace uses (checked before the
     * provider is asked, so whoever names a key another workspace uses learns nothing from its KMS; the unique
     * index on (provider, key_identity) is the last word), or a new one the provider creates.
     */
    private Uni<KeyDescription> describeUnused(String workspaceId, KeyProvider provider, String canonical) {
        Uni<Boolean> taken = canonical == null
                ? Uni.createFrom().item(false)
                : keys.identityTaken(provider.id(), provider.keyIdentity(canonical));
        return taken.chain(isTaken -> isTaken
                ? Uni.createFrom().failure(CryptoProblems.keyAlreadyRegistered(workspaceId))
                : calls.run(() -> canonical == null ? created(provider.createKey()) : provider.describe(canonical))
                        .onFailure()
                        .transform(failure -> registrationFailure(provider.id(), canonical, failure)));
    }

    private static NewKey newKey(
            String workspaceId,
            KeyProvider provider,
            KeyDescription description,
            boolean keyCreated,
            int period,
            ActingParty by) {
        String providerId = provider.id();
        if (description.versions().stream()
                .noneMatch(v -> v.version() == description.currentVersion() && v.enabled())) {
            throw CryptoProblems.keyVersionDisabled(
                    KmsKeyId.of(providerId, description.reference(), description.currentVersion())
                            .toString());
        }
        Instant now = Instant.now();
        TenantKey key = new TenantKey();
        key.keyId = UUID.randomUUID();
        key.workspaceId = workspaceId;
        key.state = KeyState.CURRENT;
        key.provider = providerId;
        key.keyReference = description.reference();
        key.keyIdentity = provider.keyIdentity(description.reference());
        key.keyCreated = keyCreated;
        key.rotationPeriodDays = period;
        key.registeredBy = by.stored();
        key.registeredAt = now;
        key.makeCurrent(description.currentVersion(), now);
        List<TenantKeyVersion> rows = description.versions().stream()
                .map(v -> {
                    TenantKeyVersion row = TenantKeyVersion.enabled(
                            key, KmsKeyId.of(providerId, description.reference(), v.version()), now);
                    if (!v.enabled()) {
                        row.state = KeyVersionState.RETIRED;
                    }
                    return row;
                })
                .toList();
        return new NewKey(key, rows);
    }

    private Uni<Void> persist(NewKey key) {
        return keys.persist(key.key())
                .chain(() -> versions.persist(key.versions()))
                .chain(() -> keys.flush());
    }

    private static KeyDescription created(KmsKeyId id) {
        return new KeyDescription(
                id.reference(), id.version(), List.of(new KeyDescription.Version(id.version(), true)));
    }

    private static RuntimeException registrationFailure(String providerId, String keyReference, Throwable failure) {
        if (failure instanceof KeyUnavailableException unavailable
                && unavailable.reason() == KeyUnavailableException.Reason.UNKNOWN_KEY) {
            return CryptoProblems.unknownKeyReference(unavailable.keyId());
        }
        if (failure instanceof IllegalArgumentException invalid) {
            // The providers' own reference rules; their messages name the rule, not the input.
            return ProblemException.invalid(invalid.getMessage());
        }
        return CryptoProblems.fromProviderFailure(providerId, failure);
    }

    /** The provider's one spelling of {@code keyReference}; a malformed reference is a 400. */
    private static String canonicalReference(KeyProvider provider, String keyReference) {
        try {
            String canonical = provider.canonicalReference(keyReference);
            KmsKeyId.of(provider.id(), canonical, 1);
            return canonical;
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("keyReference: " + e.getMessage());
        }
    }

    private static KmsKeyId parseKeyId(String kmsKeyId) {
        try {
            return KmsKeyId.parse(kmsKeyId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.invalid("kmsKeyId must be <provider>:<key-reference>#v<version>");
        }
    }

    private static int requirePeriod(int days) {
        if (days < RotationConfig.MIN_PERIOD_DAYS || days > RotationConfig.MAX_PERIOD_DAYS) {
            throw ProblemException.invalid("rotationPeriodDays must be from " + RotationConfig.MIN_PERIOD_DAYS + " to "
                    + RotationConfig.MAX_PERIOD_DAYS);
        }
        return days;
    }

    /** What the registry keeps of a failed rotation: the problem's type and detail, or the exception's class. */
    private static String describe(Throwable failure) {
        if (failure instanceof ProblemException problem) {
            return problem.type() + ": " + problem.getMessage();
        }
        return failure.getClass().getName();
    }
}
