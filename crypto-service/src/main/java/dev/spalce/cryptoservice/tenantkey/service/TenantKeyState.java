package dev.spalce.cryptoservice.tenantkey.service;

import dev.spalce.contracts.keys.KeyState;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import dev.spalce.cryptoservice.tenantkey.repository.TenantKeyRepository.KeyVersionRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A workspace's keys with all their versions, as read in one session.
 *
 * @param key the current CMK
 * @param versions the versions of every key the workspace has had, by key, oldest version first
 * @param formerKeys the keys it changed from (previous, then detached), oldest first
 */
public record TenantKeyState(TenantKey key, List<TenantKeyVersion> versions, List<TenantKey> formerKeys) {

    public TenantKeyState {
        versions = List.copyOf(versions);
        formerKeys = List.copyOf(formerKeys);
    }

    /**
     * The state from every key of a workspace paired with each of its versions; empty if none of the keys is current
     * (the workspace has no key registered). Versions are ordered by key and version, former keys as registered.
     */
    public static Optional<TenantKeyState> of(List<KeyVersionRow> rows) {
        // One instance per key: the session hands out the same entity for every row of a key.
        Set<TenantKey> keys = Collections.newSetFromMap(new IdentityHashMap<>());
        List<TenantKey> inOrder = new ArrayList<>();
        List<TenantKeyVersion> versions = new ArrayList<>();
        for (KeyVersionRow row : rows) {
            if (keys.add(row.key())) {
                inOrder.add(row.key());
            }
            if (row.version() != null) {
                versions.add(row.version());
            }
        }
        versions.sort(Comparator.comparing((TenantKeyVersion version) -> version.keyId)
                .thenComparingInt(version -> version.version));
        return inOrder.stream()
                .filter(key -> key.state == KeyState.CURRENT)
                .findFirst()
                .map(current -> new TenantKeyState(
                        current,
                        versions,
                        inOrder.stream()
                                .filter(key -> key.state != KeyState.CURRENT)
                                .toList()));
    }

    /** The versions of one of the workspace's keys, oldest first. */
    public List<TenantKeyVersion> versionsOf(TenantKey of) {
        return versions.stream()
                .filter(version -> version.keyId.equals(of.keyId))
                .toList();
    }

    /** The version with this canonical id, if it is a version of one of the workspace's keys. */
    public Optional<TenantKeyVersion> version(String kmsKeyId) {
        return versions.stream()
                .filter(version -> version.kmsKeyId.equals(kmsKeyId))
                .findFirst();
    }

    /** The workspace's key (current or former) {@code id} is a version of. */
    public Optional<TenantKey> keyOf(KmsKeyId id) {
        return Stream.concat(Stream.of(key), formerKeys.stream())
                .filter(candidate -> candidate.owns(id))
                .findFirst();
    }
}
