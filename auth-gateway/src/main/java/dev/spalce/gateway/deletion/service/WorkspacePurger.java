package dev.spalce.gateway.deletion.service;

import dev.spalce.contracts.access.Role;
import dev.spalce.contracts.deletion.WorkspaceShredding;
import dev.spalce.contracts.deletion.WorkspaceShredding.DataPurgeResult;
import dev.spalce.contracts.deletion.WorkspaceShredding.KeyShreddingResult;
import dev.spalce.contracts.deletion.WorkspaceShredding.SealRequest;
import dev.spalce.contracts.deletion.WorkspaceShredding.ShreddedKey;
import dev.spalce.gateway.config.GatewayConfig;
import dev.spalce.gateway.deletion.client.ShreddingClients;
import dev.spalce.gateway.deletion.service.WorkspaceDeletionService.DeletionState;
import dev.spalce.gateway.workspace.model.WorkspaceDeletion;
import dev.spalce.gateway.workspace.repository.MembershipRepository;
import dev.spalce.gateway.workspace.repository.WorkspaceDeletionRepository;
import dev.spalce.gateway.workspace.repository.WorkspaceRepository;
import dev.spalce.gateway.workspace.service.WorkspaceAccess;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Purges the workspaces whose deletion's grace period has passed (docs/deletion.md), one step after another, each
 * step's answer stored before the next starts:
 * <ol>
 *   <li>crypto-service shreds the keys, first, so that from then on nothing of the workspace decrypts through Spalce
 *       even if a later step fails;</li>
 *   <li>evidence-service deletes the rows and objects;</li>
 *   <li>audit-log-service appends the final {@code workspace.deleted} entry, naming what the first two did, and
 *       seals the chain;</li>
 *   <li>the workspace's members, invitations and row here are deleted, and the deletion is {@code purged}.</li>
 * </ol>
 * Every call is idempotent, and a step whose answer is stored is not called again, so a purge interrupted anywhere
 * (a service down, a restart) resumes on a later run and reports each count once. A purge holds a lease on its row;
 * another instance takes over one whose lease ran out. Membership changes no longer happen during the purge: the
 * workspace has refused changes since the request.
 */
@ApplicationScoped
public class WorkspacePurger {

    private static final Logger LOG = Logger.getLogger(WorkspacePurger.class);

    private final WorkspaceDeletionRepository deletions;
    private final WorkspaceRepository workspaces;
    private final MembershipRepository memberships;
    private final WorkspaceDeletionService states;
    private final ShreddingClients services;
    private final WorkspaceAccess access;
    private final Duration lease;
    private final Duration retryStep;

    public WorkspacePurger(
            WorkspaceDeletionRepository deletions,
            WorkspaceRepository workspaces,
            MembershipRepository memberships,
            WorkspaceDeletionService states,
            ShreddingClients services,
            WorkspaceAccess access,
            GatewayConfig config) {
        this.deletions = deletions;
        this.workspaces = workspaces;
        this.memberships = memberships;
        this.states = states;
        this.services = services;
        this.access = access;
        // Long enough for the slowest step (deleting many objects); a purge that dies is resumed after it.
        this.lease = Duration.ofMinutes(15);
        this.retryStep = config.workspaceDeletionCheckEvery();
    }

    @Scheduled(
            identity = "workspace-purges",
            every = "${spalce.gateway.workspace-deletion-check-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> purgeOnSchedule() {
        return purgeNextDue().replaceWithVoid();
    }

    /** Purges the next due workspace, if any; which one it purged (or tried to). */
    public Uni<Optional<UUID>> purgeNextDue() {
        return Panache.withTransaction(() -> deletions
                        .lockNextDue(Instant.now())
                        .invoke(deletion -> {
                            if (deletion != null) {
                                deletion.state = WorkspaceDeletion.PURGING;
                                deletion.leaseUntil = Instant.now().plus(lease);
                                deletion.attempts++;
                            }
                        }))
                .chain(deletion -> deletion == null
                        ? Uni.createFrom().item(Optional.<UUID>empty())
                        : purge(deletion.workspaceId).replaceWith(Optional.of(deletion.workspaceId)));
    }

    private Uni<Void> purge(UUID id) {
        String workspace = id.toString();
        return load(id).chain(state -> state.keys() != null
                        ? Uni.createFrom().item(state)
                        : services.keys()
                                .shred(workspace)
                                .chain(keys -> store(id, deletion -> deletion.keysShredded = states.encode(keys))))
                .chain(state -> state.data() != null
                        ? Uni.createFrom().item(state)
                        : services.data()
                                .purge(workspace)
                                .chain(data -> store(id, deletion -> deletion.dataPurged = states.encode(data))))
                .chain(state -> state.deletion().auditSeq != null
                        ? Uni.createFrom().item(state)
                        : services.seal()
                                .seal(workspace, sealRequest(state))
                                .chain(seal -> store(id, deletion -> deletion.auditSeq = seal.seq())))
                .chain(state -> finish(id))
                .invoke(() -> LOG.infof("workspace %s is deleted: keys shredded, data purged, audit log sealed", id))
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.warnf("the purge of workspace %s stopped, and resumes on a later run: %s", id, failure);
                    return Panache.withTransaction(() -> deletions.lock(id).invoke(deletion -> {
                                // Tried again later, longer after each failure: a purge that keeps failing does not
                                // hold up the others behind it.
                                Duration wait = retryStep.multipliedBy(Math.min(deletion.attempts, 60));
                                deletion.leaseUntil = Instant.now().plus(wait.compareTo(lease) < 0 ? wait : lease);
                                deletion.lastError = String.valueOf(failure.getMessage());
                            }))
                            .replaceWithVoid();
                });
    }

    /**
     * The seal: the final entry names the Owner who asked, and what was destroyed, detached and deleted (no key
     * material, no personal data).
     */
    public static SealRequest sealRequest(DeletionState state) {
        return new SealRequest("user:" + state.deletion().requestedBy, details(state));
    }

    private static Map<String, String> details(DeletionState state) {
        Map<String, String> details = new TreeMap<>();
        details.put("requestedAt", state.deletion().requestedAt.toString());
        details.put("purgeAfter", state.deletion().purgeAfter.toString());
        details.put("keysDestroyed", keys(state.keys(), WorkspaceShredding.DESTROYED));
        details.put("keysDetached", keys(state.keys(), WorkspaceShredding.DETACHED));
        DataPurgeResult data = state.data();
        data.rowsDeleted().forEach((table, rows) -> details.put("rowsDeleted." + table, Long.toString(rows)));
        details.put("objectsDeleted", Long.toString(data.objectsDeleted()));
        return details;
    }

    private static String keys(KeyShreddingResult result, String disposition) {
        return result.keys().stream()
                .filter(key -> disposition.equals(key.disposition()))
                .map(WorkspacePurger::describe)
                .collect(Collectors.joining(", "));
    }

    private static String describe(ShreddedKey key) {
        return key.provider() + ":" + key.keyReference() + " (" + key.versions() + " versions)";
    }

    /** Deletes the workspace's rows here, keeping who its Owners were, and marks the deletion purged. */
    private Uni<Void> finish(UUID id) {
        return Panache.withTransaction(() -> deletions
                .lock(id)
                .chain(deletion -> memberships
                        .ofWorkspace(id)
                        .chain(members -> {
                            deletion.formerOwners = states.encode(members.stream()
                                    .filter(member -> member.role == Role.OWNER)
                                    .map(member -> member.subject)
                                    .toList());
                            deletion.state = WorkspaceDeletion.PURGED;
                            deletion.purgedAt = Instant.now();
                            deletion.leaseUntil = null;
                            deletion.lastError = null;
                            // Grants other instances remember lapse within spalce.gateway.access-memo.
                            members.forEach(member -> access.forget(member.subject, id));
                            return workspaces.deleteWithMembers(id);
                        })
                        .replaceWithVoid()));
    }

    private Uni<DeletionState> load(UUID id) {
        return Panache.withSession(() -> deletions.findById(id)).map(states::state);
    }

    private Uni<DeletionState> store(UUID id, java.util.function.Consumer<WorkspaceDeletion> change) {
        return Panache.withTransaction(() -> deletions.lock(id).invoke(change)).map(states::state);
    }
}
