package dev.spalce.gateway.workspace.service;

import dev.spalce.contracts.access.Permission;
import dev.spalce.contracts.access.Role;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.gateway.readaudit.service.ReadAudit;
import dev.spalce.gateway.workspace.model.Membership;
import dev.spalce.gateway.workspace.model.Workspace;
import dev.spalce.gateway.workspace.repository.MembershipRepository;
import dev.spalce.gateway.workspace.repository.WorkspaceRepository;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.audit.AuditTrail;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Workspaces and their members. Every change is audited in the workspace's own log, in the same transaction. */
@ApplicationScoped
public class WorkspaceService {

    private final WorkspaceRepository workspaces;
    private final MembershipRepository memberships;
    private final WorkspaceAccess access;
    private final AuditTrail audit;
    private final ReadAudit reads;

    public WorkspaceService(
            WorkspaceRepository workspaces,
            MembershipRepository memberships,
            WorkspaceAccess access,
            AuditTrail audit,
            ReadAudit reads) {
        this.workspaces = workspaces;
        this.memberships = memberships;
        this.access = access;
        this.audit = audit;
        this.reads = reads;
    }

    /** A workspace with the caller's role in it. */
    public record WorkspaceView(Workspace workspace, Role role) {}

    /** Creates a workspace; its creator becomes its first Owner. */
    public Uni<Workspace> create(String name, String creator) {
        Workspace workspace = new Workspace();
        workspace.id = UUID.randomUUID();
        workspace.name = name;
        workspace.createdBy = creator;
        workspace.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Membership owner = membership(workspace.id, creator, Role.OWNER, null, creator);
        return Panache.withTransaction(() -> workspaces
                .persist(workspace)
                .chain(() -> memberships.persist(owner))
                .chain(() -> audit.record(
                        workspace.id.toString(),
                        AuditAction.WORKSPACE_CREATED,
                        Actor.user(creator),
                        new Target("workspace", workspace.id.toString()),
                        Outcome.SUCCESS,
                        Map.of()))
                .replaceWith(workspace));
    }

    /** The workspaces where the caller has an active membership, with their role, oldest first. */
    public Uni<List<WorkspaceView>> ofMember(String subject) {
        Instant now = Instant.now();
        return Panache.withSession(() -> memberships.ofSubject(subject).chain(mine -> {
            Map<UUID, Role> active = mine.stream()
                    .filter(m -> m.activeAt(now))
                    .collect(Collectors.toMap(m -> m.workspaceId, m -> m.role));
            if (active.isEmpty()) {
                return Uni.createFrom().item(List.<WorkspaceView>of());
            }
            return workspaces
                    .withIds(active.keySet())
                    .map(found -> found.stream()
                            .map(w -> new WorkspaceView(w, active.get(w.id)))
                            .toList());
        }));
    }

    public Uni<WorkspaceView> get(String subject, String workspaceId) {
        return access.require(subject, workspaceId, Permission.READ_WORKSPACE)
                .call(role -> reads.count(UUID.fromString(workspaceId), subject, "workspace"))
                .chain(role -> Panache.withSession(() -> workspaces.findById(UUID.fromString(workspaceId)))
                        .map(workspace -> new WorkspaceView(workspace, role)));
    }

    public Uni<List<Membership>> members(String subject, String workspaceId) {
        return access.require(subject, workspaceId, Permission.READ_WORKSPACE)
                .call(role -> reads.count(UUID.fromString(workspaceId), subject, "members"))
                .chain(role -> Panache.withSession(() -> memberships.ofWorkspace(UUID.fromString(workspaceId))));
    }

    /**
     * Adds a member or changes a member's role. Auditors join only through an invitation, and a workspace keeps
     * at least one Owner.
     */
    public Uni<Membership> setRole(String caller, String workspaceId, String member, Role role) {
        if (role == Role.AUDITOR) {
            return Uni.createFrom()
                    .failure(
                            ProblemException.invalid(
                                    "auditors join through an invitation (POST .../invitations), which sets when their access ends"));
        }
        return access.require(caller, workspaceId, Permission.MANAGE_MEMBERS)
                .chain(ignored -> Panache.withTransaction(() -> memberships
                        .find(UUID.fromString(workspaceId), member)
                        .chain(existing -> {
                            UUID workspace = UUID.fromString(workspaceId);
                            if (existing == null) {
                                Membership added = membership(workspace, member, role, null, caller);
                                return memberships
                                        .persist(added)
                                        .call(() -> auditMembers(
                                                workspaceId, caller, member, AuditAction.MEMBER_JOINED, role))
                                        .replaceWith(added);
                            }
                            Uni<Void> ownersStay = existing.role == Role.OWNER && role != Role.OWNER
                                    ? requireAnotherOwner(workspace)
                                    : Uni.createFrom().voidItem();
                            return ownersStay.chain(() -> {
                                access.forget(member, existing.workspaceId);
                                existing.role = role;
                                existing.accessExpiresAt = null;
                                return auditMembers(workspaceId, caller, member, AuditAction.MEMBER_ROLE_CHANGED, role)
                                        .replaceWith(existing);
                            });
                        })))
                .invoke(() -> access.changed(member, UUID.fromString(workspaceId)));
    }

    public Uni<Void> removeMember(String caller, String workspaceId, String member) {
        return access.require(caller, workspaceId, Permission.MANAGE_MEMBERS)
                .chain(ignored -> Panache.withTransaction(() -> memberships
                        .find(UUID.fromString(workspaceId), member)
                        .chain(existing -> {
                            if (existing == null) {
                                return Uni.createFrom().failure(ProblemException.notFound("member", member));
                            }
                            Uni<Void> ownersStay = existing.role == Role.OWNER
                                    ? requireAnotherOwner(existing.workspaceId)
                                    : Uni.createFrom().voidItem();
                            access.forget(member, existing.workspaceId);
                            return ownersStay
                                    .chain(() -> memberships.delete(existing))
                                    .chain(() -> auditMembers(
                                            workspaceId, caller, member, AuditAction.MEMBER_REMOVED, existing.role));
                        })))
                .invoke(() -> access.changed(member, UUID.fromString(workspaceId)));
    }

    private Uni<Void> requireAnotherOwner(UUID workspace) {
        return memberships
                .countWithRole(workspace, Role.OWNER)
                .chain(owners -> owners > 1
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom()
                                .failure(new ProblemException(
                                        409,
                                        "last-owner",
                                        "Conflict",
                                        "a workspace keeps at least one Owner: make another member Owner first")));
    }

    private Uni<Void> auditMembers(String workspaceId, String caller, String member, String action, Role role) {
        return audit.record(
                workspaceId,
                action,
                Actor.user(caller),
                new Target("member", member),
                Outcome.SUCCESS,
                Map.of("role", role.title()));
    }

    static Membership membership(UUID workspace, String subject, Role role, Instant accessExpiresAt, String addedBy) {
        Membership membership = new Membership();
        membership.workspaceId = workspace;
        membership.subject = subject;
        membership.role = role;
        membership.accessExpiresAt = accessExpiresAt;
        membership.addedBy = addedBy;
        membership.addedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return membership;
    }
}
