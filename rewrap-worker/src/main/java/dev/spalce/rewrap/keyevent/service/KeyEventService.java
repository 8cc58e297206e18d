package dev.spalce.rewrap.keyevent.service;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.keys.CmkChanged;
import dev.spalce.contracts.keys.CmkRegistered;
import dev.spalce.contracts.keys.CmkRotated;
import dev.spalce.contracts.keys.KeyEventType;
import dev.spalce.contracts.keys.RewrapRequested;
import dev.spalce.rewrap.job.service.RewrapJobService;
import dev.spalce.rewrap.keyevent.repository.HandledKeyEventRepository;
import dev.spalce.rewrap.workspacekey.repository.WorkspaceKeyRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * What rewrap-worker does with each event on {@code spalce.keys.v1}, each in one transaction with the note that
 * the event was handled, so a redelivered event changes nothing:
 * <ul>
 *   <li>{@code cmk.registered}: remembers the workspace's current version;</li>
 *   <li>{@code cmk.rotated}: remembers the new current version and starts a job moving every data key to it
 *       (superseding an unfinished job for an older version);</li>
 *   <li>{@code cmk.changed}: remembers the new key and the previous key's provider (jobs are paced for both) and
 *       starts a job moving every data key to the new key;</li>
 *   <li>{@code rewrap.requested}: starts a job, or joins the running one for that target.</li>
 * </ul>
 * Other types on the topic are not for rewrap-worker and are ignored.
 */
@ApplicationScoped
public class KeyEventService {

    /** The actor of jobs started by a rotation or a change of key: rewrap-worker itself, reacting to the event. */
    static final Actor ROTATION_TRIGGER = Actor.system("rewrap-worker/key-events");

    private final HandledKeyEventRepository handled;
    private final WorkspaceKeyRepository workspaceKeys;
    private final RewrapJobService jobs;

    public KeyEventService(
            HandledKeyEventRepository handled, WorkspaceKeyRepository workspaceKeys, RewrapJobService jobs) {
        this.handled = handled;
        this.workspaceKeys = workspaceKeys;
        this.jobs = jobs;
    }

    /**
     * Handles one event.
     *
     * @throws dev.spalce.contracts.InvalidEventException if its data is not what its type promises
     */
    public Uni<Void> handle(CloudEvent event) {
        String workspace = event.workspaceId();
        return switch (event.type()) {
            case KeyEventType.CMK_REGISTERED -> {
                CmkRegistered registered = EventCodec.data(event, CmkRegistered.class);
                yield once(event, () -> workspaceKeys.advance(workspace, registered.kmsKeyId(), registered.version()));
            }
            case KeyEventType.CMK_ROTATED -> {
                CmkRotated rotated = EventCodec.data(event, CmkRotated.class);
                yield once(
                        event,
                        () -> workspaceKeys
                                .advance(workspace, rotated.kmsKeyId(), rotated.newVersion())
                                .chain(() -> jobs.requestInTransaction(
                                        workspace,
                                        rotated.kmsKeyId(),
                                        ROTATION_TRIGGER,
                                        Map.of("trigger", KeyEventType.CMK_ROTATED, "eventId", event.id())))
                                .replaceWithVoid());
            }
            case KeyEventType.CMK_CHANGED -> {
                CmkChanged changed = EventCodec.data(event, CmkChanged.class);
                yield once(
                        event,
                        () -> workspaceKeys
                                .changeKey(workspace, changed.kmsKeyId(), changed.version(), changed.previousProvider())
                                .chain(() -> jobs.requestInTransaction(
                                        workspace,
                                        changed.kmsKeyId(),
                                        ROTATION_TRIGGER,
                                        Map.of(
                                                "trigger",
                                                KeyEventType.CMK_CHANGED,
                                                "eventId",
                                                event.id(),
                                                "previousKmsKeyId",
                                                changed.previousKmsKeyId())))
                                .replaceWithVoid());
            }
            case KeyEventType.REWRAP_REQUESTED -> {
                RewrapRequested requested = EventCodec.data(event, RewrapRequested.class);
                yield once(
                        event,
                        () -> jobs.requestInTransaction(
                                        workspace,
                                        requested.targetKmsKeyId(),
                                        requested.requestedBy(),
                                        Map.of("trigger", KeyEventType.REWRAP_REQUESTED, "eventId", event.id()))
                                .replaceWithVoid());
            }
            default -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> once(CloudEvent event, java.util.function.Supplier<Uni<Void>> action) {
        return Panache.withTransaction(() -> handled.markHandled(event.id())
                .chain(first -> first ? action.get() : Uni.createFrom().voidItem()));
    }
}
