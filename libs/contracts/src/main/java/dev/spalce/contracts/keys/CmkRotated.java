package dev.spalce.contracts.keys;

import static dev.spalce.contracts.keys.KeyEventFields.requirePresent;
import static dev.spalce.contracts.keys.KeyEventFields.requireText;
import static dev.spalce.contracts.keys.KeyEventFields.requireVersion;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import java.time.Instant;

/**
 * The {@code data} of a {@link KeyEventType#CMK_ROTATED} event: a workspace's customer master key has a new
 * current version. New data keys are wrapped under {@code kmsKeyId} from now on; data keys wrapped under
 * {@code previousKmsKeyId} (and older versions) still unwrap, and rewrap-worker moves them to the new version.
 * Names keys, never holds key material.
 *
 * @param provider the key provider id
 * @param keyReference the provider's name for the key, without version
 * @param previousKmsKeyId the version that was current until now
 * @param previousVersion its version number
 * @param kmsKeyId the new current version, {@code <provider>:<keyReference>#v<newVersion>}
 * @param newVersion its version number
 * @param reason why the key was rotated
 * @param rotatedBy who rotated it: the Owner on whose behalf the gateway acted, or crypto-service's scheduler
 * @param nextRotationAt when the next automatic rotation is due
 */
public record CmkRotated(
        String provider,
        String keyReference,
        String previousKmsKeyId,
        int previousVersion,
        String kmsKeyId,
        int newVersion,
        Reason reason,
        Actor rotatedBy,
        Instant nextRotationAt) {

    /** Why a key was rotated. */
    public enum Reason {
        /** The rotation period of the workspace's policy ran out. */
        SCHEDULED("scheduled"),
        /** An Owner asked for it. */
        ON_DEMAND("on-demand");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public CmkRotated {
        requireText(provider, "provider");
        requireText(keyReference, "keyReference");
        requireText(previousKmsKeyId, "previousKmsKeyId");
        requireVersion(previousVersion, "previousVersion");
        requireText(kmsKeyId, "kmsKeyId");
        requireVersion(newVersion, "newVersion");
        if (newVersion <= previousVersion) {
            throw new IllegalArgumentException("newVersion must be greater than previousVersion");
        }
        requirePresent(reason, "reason");
        requirePresent(rotatedBy, "rotatedBy");
        requirePresent(nextRotationAt, "nextRotationAt");
    }
}
