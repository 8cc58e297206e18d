package dev.spalce.gateway.deletion.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.access.Permission;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.contracts.deletion.WorkspaceShredding.DataPurgeResult;
import dev.spalce.contracts.deletion.WorkspaceShredding.KeyShreddingResult;
import dev.spalce.gateway.config.GatewayConfig;
import dev.spalce.gateway.readaudit.service.ReadAudit;
import dev.spalce.gateway.workspace.model.WorkspaceDeletion;
import dev.spalce.gateway.workspace.repository.WorkspaceDeletionRepository;
import dev.spalce.gateway.workspace.repository.WorkspaceRepository;
import dev.spalce.gateway.workspace.service.WorkspaceAccess;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.audit.AuditTrail;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An Owner's side of deleting a workspace (docs/deletion.md): the request, confirmed by the workspace's name, which
 * starts the grace period; its cancellation during it; and the deletion's state, which the former Owners can still
 * read once the workspace is gone (it says which key of theirs to disable). The purge itself is
 * {@link WorkspacePurger}'s.
 */
@ApplicationScoped
public class WorkspaceDeletionService {

    private final WorkspaceDeletionRepository deletions;
    private final WorkspaceRepository workspaces;
    private final WorkspaceAccess access;
    private final AuditTrail audit;
    private final ReadAudit reads;
    private final ObjectMapper json;
    private final GatewayConfig config;

    public WorkspaceDeletionService(
            WorkspaceDeletionRepository deletions,
            WorkspaceRepository workspaces,
            WorkspaceAccess access,
            AuditTrail audit,
            ReadAudit reads,
            ObjectMapper json,
            GatewayConfig config) {
        this.deletions = deletions;
        this.workspaces = workspaces;
        this.access = access;
        this.audit = audit;
        this.reads = reads;
        this.json = json;
        this.config = config;
    }

    /** A deletion with the stored answers of its purge's steps, read back. */
    public record DeletionState(
            WorkspaceDeletion deletion, KeyShreddingResult keys, DataPurgeResult data, List<String> formerOwners) {}

    /**
     * Asks for the workspace's deletion after the grace period. {@code confirmName} must be the workspace's name,
     * exactly: 400 {@code workspace-name-mismatch} otherwise; 409 {@code workspace-deletion-pending} if it is
     * already to be deleted.
     */
    public Uni<DeletionState> request(String subject, String workspaceId, String confirmName) {
        return access.require(subject, workspaceId, Permission.DELETE_WORKSPACE)
                .chain(role -> Panache.withTransaction(() -> {
                    UUID id = UUID.fromString(workspaceId);
                    return workspaces.findById(id).chain(workspace -> {
                        if (!workspace.name.equals(confirmName)) {
                            return Uni.createFrom()
                                    .failure(new ProblemException(
                                            400,
                                            "workspace-name-mismatch",
                                            "Workspace name mismatch",
                                            "confirmName must be the workspace's name, exactly as it is shown"));
                        }
                        return deletions.lock(id).chain(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().failure(WorkspaceAccess.deletionPending());
                            }
                            WorkspaceDeletion deletion = new WorkspaceDeletion();
                            deletion.workspaceId = id;
                            deletion.requestedBy = subject;
                            deletion.requestedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                            deletion.purgeAfter = deletion.requestedAt.plus(config.workspaceDeletionGrace());
                            deletion.state = WorkspaceDeletion.PENDING;
                            return deletions
                                    .persist(deletion)
                                    .call(() -> audit.record(
                                            workspaceId,
                                            AuditAction.WORKSPACE_DELETION_REQUESTED,
                                            Actor.user(subject),
                                            new Target("workspace", workspaceId),
                                            Outcome.SUCCESS,
                                            Map.of("purgeAfter", deletion.purgeAfter.toString())))
                                    .map(stored -> new DeletionState(stored, null, null, List.of()));
                        });
                    });
                }));
    }

    /**
     * Withdraws the deletion during the grace period; 409 {@code workspace-deletion-in-progress} once the purge has
     * started (nothing can be undone then), 404 when none was requested.
     */
    public Uni<Void> cancel(String subject, String workspaceId) {
        return access.require(subject, workspaceId, Permission.DELETE_WORKSPACE)
                .chain(role -> Panache.withTransaction(() -> deletions
                        .lock(UUID.fromString(workspaceId))
                        .chain(deletion -> {
                            if (deletion == null) {
                                return Uni.createFrom().failure(noDeletion());
                            }
                            if (!WorkspaceDeletion.PENDING.equals(deletion.state)) {
                                return Uni.createFrom()
                                        .failure(new ProblemException(
                                                409,
                                                "workspace-deletion-in-progress",
                                                "Workspace deletion in progress",
                                                "the grace period is over and the workspace is being deleted:"
                                                        + " it can no longer be cancelled"));
                            }
                            return deletions
                                    .delete(deletion)
                                    .chain(() -> audit.record(
                                            workspaceId,
                                            AuditAction.WORKSPACE_DELETION_CANCELLED,
                                            Actor.user(subject),
                                            new Target("workspace", workspaceId),
                                            Outcome.SUCCESS,
                                            Map.of()));
                        })));
    }

    /**
     * The deletion's state. While the workspace exists, for its Owners; once it is purged (its members are gone),
     * for those who were its Owners then, and anyone else gets the 404 of a workspace that does not exist.
     */
    public Uni<DeletionState> read(String subject, String workspaceId) {
        if (!WorkspaceIds.isCanonical(workspaceId)) {
            return Uni.createFrom().failure(WorkspaceAccess.notFound(workspaceId));
        }
        UUID id = UUID.fromString(workspaceId);
        return Panache.withSession(() -> deletions.findById(id)).chain(deletion -> {
            if (deletion != null && WorkspaceDeletion.PURGED.equals(deletion.state)) {
                DeletionState state = state(deletion);
                if (!state.formerOwners().contains(subject)) {
                    return Uni.createFrom().failure(WorkspaceAccess.notFound(workspaceId));
                }
                return Uni.createFrom().item(state);
            }
            return access.require(subject, workspaceId, Permission.DELETE_WORKSPACE)
                    .call(role -> reads.count(id, subject, "deletion"))
                    .chain(role -> Panache.withSession(() -> deletions.findById(id)))
                    .map(current -> {
                        if (current == null) {
                            throw noDeletion();
                        }
                        return state(current);
                    });
        });
    }

    /** The deletion with its stored step answers decoded. */
    DeletionState state(WorkspaceDeletion deletion) {
        return new DeletionState(
                deletion,
                decode(deletion.keysShredded, new TypeReference<>() {}),
                decode(deletion.dataPurged, new TypeReference<>() {}),
                deletion.formerOwners == null
                        ? List.of()
                        : decode(deletion.formerOwners, new TypeReference<List<String>>() {}));
    }

    String encode(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not store a purge step's answer", e);
        }
    }

    private <T> T decode(String stored, TypeReference<T> type) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored purge step's answer does not read back", e);
        }
    }

    private static ProblemException noDeletion() {
        return new ProblemException(404, "not-found", "Not found", "no deletion has been requested for this workspace");
    }
}
