package dev.spalce.cryptoservice.tenantkey.service;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.contracts.keys.CmkChanged;
import dev.spalce.contracts.keys.CmkRegistered;
import dev.spalce.contracts.keys.CmkRotated;
import dev.spalce.contracts.keys.KeyEventType;
import dev.spalce.contracts.keys.KeyVersionState;
import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import dev.spalce.kit.audit.AuditTrail;
import dev.spalce.kit.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes the events of key lifecycle changes to the outbox: the key event on {@code spalce.keys.v1} for
 * rewrap-worker and the audit event on {@code spalce.audit.v1}. Call it inside the transaction of the change, so
 * that the events exist exactly when the change does, and a crash after the commit only delays them.
 */
@ApplicationScoped
public class KeyEventPublisher {

    static final String TARGET_TYPE = "cmk";

    private final Outbox outbox;
    private final AuditTrail audit;
    private final String source;

    public KeyEventPublisher(
            Outbox outbox, AuditTrail audit, @ConfigProperty(name = "spalce.service.name") String serviceName) {
        this.outbox = outbox;
        this.audit = audit;
        this.source = "/spalce/" + serviceName;
    }

    public Uni<Void> registered(TenantKey key, ActingParty by) {
        CmkRegistered payload = new CmkRegistered(
                key.provider,
                key.keyReference,
                key.currentKmsKeyId().toString(),
                key.currentVersion,
                key.keyCreated,
                key.rotationPeriodDays,
                key.nextRotationAt,
                by.actor());
        Map<String, String> details = details(key, by);
        details.put("version", Integer.toString(key.currentVersion));
        details.put("keyCreated", Boolean.toString(key.keyCreated));
        details.put("rotationPeriodDays", Integer.toString(key.rotationPeriodDays));
        return outbox.enqueue(
                        Topic.KEYS,
                        CloudEvent.create(
                                source, KeyEventType.CMK_REGISTERED, key.workspaceId, EventCodec.toData(payload)))
                .chain(() -> audit.record(
                        key.workspaceId,
                        AuditAction.CMK_REGISTERED,
                        by.actor(),
                        target(key),
                        Outcome.SUCCESS,
                        details));
    }

    public Uni<Void> rotated(TenantKey key, int previousVersion, CmkRotated.Reason reason, ActingParty by) {
        String previous = key.currentKmsKeyId().withVersion(previousVersion).toString();
        CmkRotated payload = new CmkRotated(
                key.provider,
                key.keyReference,
                previous,
                previousVersion,
                key.currentKmsKeyId().toString(),
                key.currentVersion,
                reason,
                by.actor(),
                key.nextRotationAt);
        Map<String, String> details = details(key, by);
        details.put("previousVersion", Integer.toString(previousVersion));
        details.put("newVersion", Integer.toString(key.currentVersion));
        details.put("reason", reason.wireName());
        return outbox.enqueue(
                        Topic.KEYS,
                        CloudEvent.create(
                                source, KeyEventType.CMK_ROTATED, key.workspaceId, EventCodec.toData(payload)))
                .chain(() -> audit.record(
                        key.workspaceId, AuditAction.CMK_ROTATED, by.actor(), target(key), Outcome.SUCCESS, details));
    }

    /** {@code previous} was replaced by {@code key}: the key event that starts the rewrap job, and the audit event. */
    public Uni<Void> changed(TenantKey previous, TenantKey key, ActingParty by) {
        CmkChanged payload = new CmkChanged(
                previous.provider,
                previous.keyReference,
                previous.currentKmsKeyId().toString(),
                key.provider,
                key.keyReference,
                key.currentKmsKeyId().toString(),
                key.currentVersion,
                key.keyCreated,
                by.actor());
        Map<String, String> details = details(key, by);
        details.put("version", Integer.toString(key.currentVersion));
        details.put("keyCreated", Boolean.toString(key.keyCreated));
        details.put("previousProvider", previous.provider);
        details.put("previousKeyReference", previous.keyReference);
        details.put("previousKmsKeyId", previous.currentKmsKeyId().toString());
        return outbox.enqueue(
                        Topic.KEYS,
                        CloudEvent.create(
                                source, KeyEventType.CMK_CHANGED, key.workspaceId, EventCodec.toData(payload)))
                .chain(() -> audit.record(
                        key.workspaceId, AuditAction.CMK_CHANGED, by.actor(), target(key), Outcome.SUCCESS, details));
    }

    /** A previous key was detached, now that every data key is on {@code current}: the audit event. */
    public Uni<Void> detached(TenantKey key, TenantKey current, ActingParty by) {
        Map<String, String> details = details(key, by);
        details.put("rewrappedTo", current.currentKmsKeyId().toString());
        details.put("disableAdvice", TenantKeyAdvice.disableAdvice(key));
        return audit.record(
                key.workspaceId,
                AuditAction.CMK_DETACHED,
                by.actor(),
                new Target(TARGET_TYPE, key.currentKmsKeyId().toString()),
                Outcome.SUCCESS,
                details);
    }

    public Uni<Void> rotationPolicyChanged(TenantKey key, int previousDays, ActingParty by) {
        Map<String, String> details = details(key, by);
        details.put("previousRotationPeriodDays", Integer.toString(previousDays));
        details.put("rotationPeriodDays", Integer.toString(key.rotationPeriodDays));
        details.put("nextRotationAt", key.nextRotationAt.toString());
        return audit.record(
                key.workspaceId,
                AuditAction.CMK_ROTATION_POLICY_CHANGED,
                by.actor(),
                target(key),
                Outcome.SUCCESS,
                details);
    }

    public Uni<Void> versionStateChanged(
            TenantKey key, TenantKeyVersion version, KeyVersionState previous, ActingParty by) {
        Map<String, String> details = details(key, by);
        details.put("version", Integer.toString(version.version));
        details.put("previousState", previous.wireName());
        details.put("state", version.state.wireName());
        return audit.record(
                key.workspaceId,
                AuditAction.CMK_VERSION_STATE_CHANGED,
                by.actor(),
                new Target(TARGET_TYPE, version.kmsKeyId),
                Outcome.SUCCESS,
                details);
    }

    private static Target target(TenantKey key) {
        return new Target(TARGET_TYPE, key.currentKmsKeyId().toString());
    }

    private static Map<String, String> details(TenantKey key, ActingParty by) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("provider", key.provider);
        details.put("keyReference", key.keyReference);
        if (by.via() != null) {
            details.put("via", by.via());
        }
        return details;
    }
}
