package dev.spalce.cryptoservice.tenantkey.service;

import dev.spalce.crypto.KmsKeyId;
import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import java.util.List;
import java.util.Optional;
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
