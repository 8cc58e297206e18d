package dev.spalce.cryptoservice.tenantkey.service;

import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import java.util.List;
import java.util.Optional;

/**
 * A workspace's CMK with all its versions, as read in one session.
 *
 * @param key the CMK
 * @param versions its versions, oldest first
 */
public record TenantKeyState(TenantKey key, List<TenantKeyVersion> versions) {

    public TenantKeyState {
        versions = List.copyOf(versions);
    }

    /** The version with this canonical id, if it is one of this key's. */
    public Optional<TenantKeyVersion> version(String kmsKeyId) {
        return versions.stream()
                .filter(version -> version.kmsKeyId.equals(kmsKeyId))
                .findFirst();
    }
}
