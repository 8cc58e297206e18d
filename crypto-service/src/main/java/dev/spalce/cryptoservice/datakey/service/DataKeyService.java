package dev.spalce.cryptoservice.datakey.service;

import dev.spalce.contracts.datakey.WrappedKeyItem;
import dev.spalce.contracts.keys.KeyState;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.InsecureKeyAccess;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.cryptoservice.common.api.CryptoProblems;
import dev.spalce.cryptoservice.datakey.config.BatchConfig;
import dev.spalce.cryptoservice.provider.service.KeyProviders;
import dev.spalce.cryptoservice.provider.service.ProviderCalls;
import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyService;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyState;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.kit.api.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.jboss.logging.Logger;

/**
 * Data keys for data owners: a fresh DEK per record wrapped under the workspace's current CMK version, batches of
 * unwraps, and batches of rewraps to the current version.
 *
 * <p>Every wrapped DEK is bound to its workspace and record ({@link WrapContext}), and every {@code kms_key_id} a
 * caller sends must be a version of this workspace's key in the registry, so a DEK of one workspace never
 * unwraps through another's path. In a batch each item succeeds or fails on its own, with a typed error, and
 * results come back in request order; only an outage of the provider (which no item can help) fails the whole
 * batch, with 503, so that a caller never mistakes "not now" for "never".
 */
@ApplicationScoped
public class DataKeyService {

    private static final Logger LOG = Logger.getLogger(DataKeyService.class);
    private static final int UNAVAILABLE = 503;

    private final TenantKeyService registry;
    private final KeyProviders providers;
    private final ProviderCalls calls;
    private final BatchConfig batch;
    private final MeterRegistry metrics;

    public DataKeyService(
            TenantKeyService registry,
            KeyProviders providers,
            ProviderCalls calls,
            BatchConfig batch,
            MeterRegistry metrics) {
        this.registry = registry;
        this.providers = providers;
        this.calls = calls;
        this.batch = batch;
        this.metrics = metrics;
    }

    /** A fresh DEK for one record, wrapped under the workspace's current CMK version. */
    public Uni<MintedDataKey> mint(String workspaceId, String recordType, String recordId) {
        WrapContext context = context(workspaceId, recordType, recordId);
        return registry.currentVersion(workspaceId).chain(current -> {
            KeyProvider provider = provider(current);
            return calls.run(() -> {
                        try (DataKey dek = DataKey.generate()) {
                            WrappedKey wrapped = provider.wrap(current, dek, context);
                            return new MintedDataKey(dek.plaintext(InsecureKeyAccess.get()), wrapped);
                        }
                    })
                    .onFailure()
                    .transform(failure -> CryptoProblems.fromProviderFailure(current.provider(), failure))
                    .invoke(() -> count("mint", current.provider(), 1));
        });
    }

    /**
     * A fresh DEK for each of {@code recordIds} (records of one type), all wrapped under the same current CMK
     * version, in request order. All or nothing: if any wrap fails, every DEK already minted is erased and the
     * call fails, so that a caller never stores part of a batch.
     */
    public Uni<List<MintedDataKey>> mintAll(String workspaceId, String recordType, List<String> recordIds) {
        requireBatchSize("recordIds", recordIds);
        List<WrapContext> contexts = recordIds.stream()
                .map(id -> context(workspaceId, recordType, id))
                .toList();
        return registry.currentVersion(workspaceId).chain(current -> {
            KeyProvider provider = provider(current);
            return inOrder(
                            contexts.size(),
                            current.provider(),
                            index -> calls.run(() -> {
                                try (DataKey dek = DataKey.generate()) {
                                    WrappedKey wrapped = provider.wrap(current, dek, contexts.get(index));
                                    return new MintedDataKey(dek.plaintext(InsecureKeyAccess.get()), wrapped);
                                }
                            }))
                    .map(results -> {
                        ProblemException failure = results.stream()
                                .map(ItemResult::error)
                                .filter(Objects::nonNull)
                                .findFirst()
                                .orElse(null);
                        if (failure != null) {
                            closeAll(results);
                            throw failure;
                        }
                        count("mint", current.provider(), results.size());
                        return results.stream().map(ItemResult::value).toList();
                    });
        });
    }

    /** Unwraps each item; results in request order. */
    public Uni<List<ItemResult<UnwrappedDataKey>>> unwrap(String workspaceId, List<WrappedKeyItem> items) {
        requireBatchSize("items", items);
        return registry.read(workspaceId)
                .chain(state -> each("unwrap", items, state, (item, checked) -> {
                    KeyProvider provider = provider(checked.keyId());
                    return calls.run(() -> {
                        try (DataKey dek = provider.unwrap(
                                checked.keyId(),
                                checked.wrapped(),
                                checked.context(),
                                unwrapsUnder(state, checked.keyId()))) {
                            return new UnwrappedDataKey(dek.plaintext(InsecureKeyAccess.get()), checked.keyId());
                        }
                    });
                }));
    }

    /**
     * Moves each item's wrapped DEK to the workspace's current CMK version; results in request order. A DEK on an
     * older version of the current key is re-wrapped by its provider (server side where it can). A DEK on a key
     * the workspace changed from is unwrapped by that key's provider and wrapped by the current key's, here: the
     * plaintext DEK lives only in this process's memory, for that one call, and is zeroed after; its context
     * (workspace, record type, record id) is the same on both sides, and no payload is touched.
     */
    public Uni<List<ItemResult<WrappedKey>>> rewrap(String workspaceId, List<WrappedKeyItem> items) {
        requireBatchSize("items", items);
        return registry.read(workspaceId).chain(state -> {
            KmsKeyId current = state.key().currentKmsKeyId();
            return each("rewrap", items, state, (item, checked) -> {
                KeyProvider from = provider(checked.keyId());
                IntPredicate usable = unwrapsUnder(state, checked.keyId());
                if (state.key().owns(checked.keyId())) {
                    return calls.run(
                            () -> from.rewrap(checked.keyId(), current, checked.wrapped(), checked.context(), usable));
                }
                KeyProvider to = provider(current);
                return calls.run(() -> {
                    try (DataKey dek = unwrapAt(from, checked, usable)) {
                        return to.wrap(current, dek, checked.context());
                    }
                });
            });
        });
    }

    /**
     * Unwraps at the previous key's provider during a move to another key; its failures name that provider, so
     * that an outage there is not reported as one of the new key's.
     */
    private static DataKey unwrapAt(KeyProvider from, CheckedItem checked, IntPredicate usable) {
        try {
            return from.unwrap(checked.keyId(), checked.wrapped(), checked.context(), usable);
        } catch (RuntimeException e) {
            throw CryptoProblems.fromProviderFailure(from.id(), e);
        }
    }

    /** A checked batch item: a known, usable key version, the decoded wrapped DEK and its context. */
    private record CheckedItem(KmsKeyId keyId, byte[] wrapped, WrapContext context) {}

    private <T> Uni<List<ItemResult<T>>> each(
            String operation,
            List<WrappedKeyItem> items,
            TenantKeyState state,
            BiFunction<WrappedKeyItem, CheckedItem, Uni<T>> call) {
        String workspaceId = state.key().workspaceId;
        String provider = state.key().provider;
        return inOrder(
                        items.size(),
                        provider,
                        index -> call.apply(items.get(index), check(workspaceId, state, items.get(index))))
                .map(ordered -> {
                    ProblemException outage = ordered.stream()
                            .filter(result ->
                                    result.error() != null && result.error().status() == UNAVAILABLE)
                            .map(ItemResult::error)
                            .findFirst()
                            .orElse(null);
                    if (outage != null) {
                        closeAll(ordered);
                        throw outage;
                    }
                    count(operation, provider, (int) ordered.stream()
                            .filter(result -> result.error() == null)
                            .count());
                    return ordered;
                });
    }

    /**
     * Runs {@code call} for each index from 0 to {@code count} - 1, at most {@code spalce.crypto.batch.concurrency}
     * at once; the results in index order, an item that fails (or throws) carrying its problem.
     */
    private <T> Uni<List<ItemResult<T>>> inOrder(int count, String provider, IntFunction<Uni<T>> call) {
        return Multi.createFrom()
                .range(0, count)
                .onItem()
                .transformToUni(index -> Uni.createFrom()
                        .deferred(() -> call.apply(index))
                        .map(value -> Map.entry(index, ItemResult.ok(value)))
                        .onFailure()
                        .recoverWithItem(failure -> Map.entry(
                                index, ItemResult.<T>failed(CryptoProblems.fromProviderFailure(provider, failure)))))
                .merge(Math.max(1, batch.concurrency()))
                .collect()
                .asList()
                .map(entries -> {
                    List<ItemResult<T>> ordered = new ArrayList<>(Collections.nCopies(count, null));
                    entries.forEach(entry -> ordered.set(entry.getKey(), entry.getValue()));
                    return ordered;
                });
    }

    /**
     * Counts DEKs minted, unwrapped and rewrapped, per provider, as {@code spalce.datakeys.items}: with the local
     * provider each is one key operation, so this is the request rate a customer's KMS would see (rewrap-worker's
     * budget is checked against it).
     */
    private void count(String operation, String provider, int items) {
        if (items > 0) {
            Counter.builder("spalce.datakeys.items")
                    .description("Data keys minted, unwrapped or rewrapped")
                    .tag("operation", operation)
                    .tag("provider", provider)
                    .register(metrics)
                    .increment(items);
        }
    }

    private static CheckedItem check(String workspaceId, TenantKeyState state, WrappedKeyItem item) {
        if (item == null) {
            throw ProblemException.invalid("the item is null");
        }
        if (item.kmsKeyId() == null) {
            throw ProblemException.invalid("kmsKeyId is required");
        }
        KmsKeyId keyId;
        try {
            keyId = KmsKeyId.parse(item.kmsKeyId());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("kmsKeyId: " + e.getMessage());
        }
        if (item.wrappedDek() == null || item.wrappedDek().isEmpty()) {
            throw ProblemException.invalid("wrappedDek is required");
        }
        byte[] wrapped;
        try {
            wrapped = Base64.getDecoder().decode(item.wrappedDek());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("wrappedDek is not base64");
        }
        WrapContext context = context(workspaceId, item.recordType(), item.recordId());
        TenantKeyVersion version =
                state.version(keyId.toString()).orElseThrow(() -> CryptoProblems.unknownKeyVersion(keyId.toString()));
        if (!version.state.unwraps()) {
            throw CryptoProblems.keyVersionDisabled(keyId.toString());
        }
        return new CheckedItem(keyId, wrapped, context);
    }

    /**
     * The versions of the workspace's key {@code keyId} names that may unwrap: those the registry has not retired,
     * and those newer than the key's last version, which it does not know yet (a KMS that rotates on its own
     * schedule, AWS KMS, encrypts under its newest key material; a retired version is always an older one the
     * registry knows) unless the key is detached. Checked against the version that actually unwrapped a DEK, not
     * the {@code kms_key_id} the row carries.
     */
    private static IntPredicate unwrapsUnder(TenantKeyState state, KmsKeyId keyId) {
        TenantKey key = state.keyOf(keyId).orElse(null);
        if (key == null) {
            return version -> false;
        }
        KmsKeyId last = key.currentKmsKeyId();
        return version -> state.version(last.withVersion(version).toString())
                .map(row -> row.state.unwraps())
                .orElse(version > last.version() && key.state != KeyState.DETACHED);
    }

    private static WrapContext context(String workspaceId, String recordType, String recordId) {
        try {
            return WrapContext.of(workspaceId, recordType, recordId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(e.getMessage());
        }
    }

    private KeyProvider provider(KmsKeyId keyId) {
        return providers.find(keyId.provider()).orElseThrow(() -> {
            LOG.errorf("key %s belongs to provider %s, which this instance does not serve", keyId, keyId.provider());
            return CryptoProblems.providerUnavailable(keyId.provider(), null);
        });
    }

    private void requireBatchSize(String field, List<?> items) {
        if (items == null || items.isEmpty()) {
            throw ProblemException.invalid(field + " must hold at least one item");
        }
        if (items.size() > batch.maxItems()) {
            throw ProblemException.invalid(field + " holds " + items.size() + " items, more than the "
                    + batch.maxItems() + " a batch may hold");
        }
    }

    private static void closeAll(List<? extends ItemResult<?>> results) {
        for (ItemResult<?> result : results) {
            if (result.value() instanceof AutoCloseable secret) {
                try {
                    secret.close();
                } catch (Exception ignored) {
                    // erasing is best effort
                }
            }
        }
    }
}
