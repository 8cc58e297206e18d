package dev.spalce.cryptoservice.access.config;

import dev.spalce.cryptoservice.access.model.Operation;
import io.smallrye.config.ConfigMapping;
import java.util.Set;

/**
 * Which service identities may call which operation. A service identity is the subject of its OIDC
 * client-credentials token (audience {@code spalce-crypto}, checked before this). Anything not listed is refused
 * with 403. The defaults are in application.properties. Users routed by the gateway are authorized by their role
 * instead ({@link dev.spalce.cryptoservice.access.model.Operation#userPermission()}).
 */
@ConfigMapping(prefix = "spalce.crypto.access")
public interface AccessConfig {

    /** May mint data keys: the data owners (evidence-service). */
    Set<String> mint();

    /** May unwrap data keys: the data owners (evidence-service). */
    Set<String> unwrap();

    /** May rewrap data keys to the current version: rewrap-worker. */
    Set<String> rewrap();

    /** May read a workspace's CMK, versions and policy: the gateway's own identity and rewrap-worker. */
    Set<String> readKeys();

    /** May register a CMK, set its rotation policy and rotate it: the gateway's own identity. */
    Set<String> manageKeys();

    /** May retire old key versions: the gateway's own identity and rewrap-worker (once nothing references them). */
    Set<String> retireVersions();

    /** May detach a workspace's previous keys once nothing references them: rewrap-worker. */
    Set<String> detachKeys();

    /** May shred a deleted workspace's keys: the gateway's own identity, when the grace period has passed. */
    Set<String> shredKeys();

    /** The allow-list of one operation. */
    default Set<String> allowed(Operation operation) {
        return switch (operation) {
            case MINT -> mint();
            case UNWRAP -> unwrap();
            case REWRAP -> rewrap();
            case READ_KEYS -> readKeys();
            case MANAGE_KEYS -> manageKeys();
            case RETIRE_VERSIONS -> retireVersions();
            case DETACH_KEYS -> detachKeys();
            case SHRED_KEYS -> shredKeys();
        };
    }
}
