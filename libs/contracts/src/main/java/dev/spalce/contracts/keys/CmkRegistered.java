package dev.spalce.contracts.keys;

import static dev.spalce.contracts.keys.KeyEventFields.requirePresent;
import static dev.spalce.contracts.keys.KeyEventFields.requireText;
import static dev.spalce.contracts.keys.KeyEventFields.requireVersion;

import dev.spalce.contracts.audit.AuditPayload.Actor;
import java.time.Instant;

/**
 * The {@code data} of a {@link KeyEventType#CMK_REGISTERED} event: a workspace now has a customer master key, and
 * new data keys of the workspace are wrapped under {@code kmsKeyId}. Names a key, never holds key material.
 *
 * @param provider the key provider id, e.g. {@code local}, {@code pkcs11}, {@code aws-kms}
 * @param keyReference the provider's name for the key, without version
 * @param kmsKeyId the current version in canonical form, {@code <provider>:<keyReference>#v<version>}
 * @param version the current version
 * @param keyCreated whether crypto-service created the key in the provider (true), or the workspace brought an
 *     existing key (false)
 * @param rotationPeriodDays how often the key is rotated automatically
 * @param nextRotationAt when the next automatic rotation is due
 * @param registeredBy who registered it: the Owner on whose behalf the gateway acted, or a service
 */
public record CmkRegistered(
        String provider,
        String keyReference,
        String kmsKeyId,
        int version,
        boolean keyCreated,
        int rotationPeriodDays,
        Instant nextRotationAt,
        Actor registeredBy) {

    public CmkRegistered {
        requireText(provider, "provider");
        requireText(keyReference, "keyReference");
        requireText(kmsKeyId, "kmsKeyId");
        requireVersion(version, "version");
        if (rotationPeriodDays < 1) {
            throw new IllegalArgumentException("rotationPeriodDays must be 1 or more");
        }
        requirePresent(nextRotationAt, "nextRotationAt");
        requirePresent(registeredBy, "registeredBy");
    }
}
