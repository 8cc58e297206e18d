package dev.spalce.contracts.keys;

import static dev.spalce.contracts.keys.KeyEventFields.requirePresent;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spalce.contracts.audit.AuditPayload.Actor;

/**
 * The {@code data} of a {@link KeyEventType#REWRAP_REQUESTED} event: someone asks rewrap-worker to move every data
 * key of the event's workspace to one CMK version. rewrap-worker starts a job, or joins the one already running
 * for that workspace and version. Names a key version, never holds key material.
 *
 * @param targetKmsKeyId the version to move to; absent means the workspace's current version
 * @param requestedBy who asked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RewrapRequested(String targetKmsKeyId, Actor requestedBy) {

    public RewrapRequested {
        if (targetKmsKeyId != null && targetKmsKeyId.isBlank()) {
            throw new IllegalArgumentException("targetKmsKeyId is blank; leave it out for the current version");
        }
        requirePresent(requestedBy, "requestedBy");
    }
}
