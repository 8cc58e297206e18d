package dev.spalce.contracts.keys;

import static dev.spalce.contracts.keys.KeyEventFields.requirePresent;
import static dev.spalce.contracts.keys.KeyEventFields.requireText;
import static dev.spalce.contracts.keys.KeyEventFields.requireVersion;

import dev.spalce.contracts.audit.AuditPayload.Actor;

/**
 * The {@code data} of a {@link KeyEventType#CMK_CHANGED} event: the workspace's Owner replaced its customer master
 * key by another key, of the same provider or another. New data keys are wrapped under {@code kmsKeyId} at once;
 * the stored ones stay on the previous key (which still unwraps them) until a rewrap job has moved every one, and
 * then the previous key is detached. Names keys, never holds key material.
 *
 * @param previousProvider the provider of the key replaced
 * @param previousKeyReference that key's reference
 * @param previousKmsKeyId the version new data keys were wrapped under until now
 * @param provider the new key's provider
 * @param keyReference the new key's reference
 * @param kmsKeyId the new key's current version, {@code <provider>:<keyReference>#v<version>}: the target of the
 *     rewrap job this change starts
 * @param version that version
 * @param keyCreated whether crypto-service created the new key in the provider
 * @param changedBy who changed it: the Owner on whose behalf the gateway acted, or a service
 */
public record CmkChanged(
        String previousProvider,
        String previousKeyReference,
        String previousKmsKeyId,
        String provider,
        String keyReference,
        String kmsKeyId,
        int version,
        boolean keyCreated,
        Actor changedBy) {

    public CmkChanged {
        requireText(previousProvider, "previousProvider");
        requireText(previousKeyReference, "previousKeyReference");
        requireText(previousKmsKeyId, "previousKmsKeyId");
        requireText(provider, "provider");
        requireText(keyReference, "keyReference");
        requireText(kmsKeyId, "kmsKeyId");
        requireVersion(version, "version");
        requirePresent(changedBy, "changedBy");
    }
}
