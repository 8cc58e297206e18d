package dev.spalce.gateway.workspace.service;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.access.Permission;
import dev.spalce.contracts.access.PermissionMatrix;
import dev.spalce.contracts.access.Role;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.gateway.config.GatewayConfig;
import dev.spalce.gateway.workspace.model.Membership;
import dev.spalce.gateway.workspace.repository.MembershipRepository;
import dev.spalce.gateway.workspace.repository.WorkspaceDeletionRepository;
import dev.spalce.gateway.workspace.repository.WorkspaceRepository;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.audit.AuditTrail;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, for every workspace request, whether the caller may: an active membership whose role has the
 * permission ({@link PermissionMatrix}). A caller who is not an active member gets 404 — exactly what a workspace
 * that does not exist answers — and a member whose role lacks the permission 403. Every denial is audited as
 * {@code access.denied}, in its own transaction, so that it is recorded even though the request fails.
 *
 * <p>Call it before the request's own transaction, not inside it.
 */
@ApplicationScoped
public class WorkspaceAccess {

    /**
     * What a workspace whose deletion is pending still allows (docs/deletion.md): reading, exporting (the Owner's
     * last copy of the data) and the deletion itself (to follow or cancel it). Anything else changes the workspace,
     * and is refused with 409 {@code workspace-deletion-pending} until the deletion is cancelled.
     */
    static final Set<Permission> ALLOWED_WHILE_DELETION_PENDING = EnumSet.of(
            Permission.READ_WORKSPACE,
            Permission.READ_EVIDENCE,
            Permission.READ_PERSONNEL,
            Permission.READ_KEYS,
            Permission.READ_REWRAP_JOBS,
            Permission.READ_AUDIT_LOG,
            Permission.EXPORT_WORKSPACE,
            Permission.DELETE_WORKSPACE);

    private final MembershipRepository memberships;
    private final WorkspaceRepository workspaces;
    private final WorkspaceDeletionRepository deletions;
    private final AuditTrail audit;
    private final long grantTtlNanos;
    private final Map<Key, Grant> recentGrants = new ConcurrentHashMap<>();
    private final BroadcastProcessor<Key> changes = BroadcastProcessor.create();

    /** Grants remembered at most; past that the memo starts over (a bound, not an eviction policy). */
    private static final int MEMO_LIMIT = 10_000;

    public WorkspaceAccess(
            MembershipRepository memberships,
            WorkspaceRepository workspaces,
            WorkspaceDeletionRepository deletions,
            AuditTrail audit,
            GatewayConfig config) {
        this.memberships = memberships;
        this.workspaces = workspaces;
        this.deletions = deletions;
        this.audit = audit;
        this.grantTtlNanos = config.accessMemo().toNanos();
    }

    private record Key(String subject, UUID workspace) {}

    private record Grant(Role role, long validUntilNanos) {}

    /**
     * The caller's role, if it grants {@code permission} in the workspace; otherwise a 404 or 403 problem, or a 409
     * when the permission changes a workspace whose deletion is pending.
     */
    public Uni<Role> require(String subject, String workspaceId, Permission permission) {
        return require(subject, workspaceId, permission, null);
    }

    /**
     * {@link #require(String, String, Permission)} for a request served outside a REST resource (a routed request,
     * a Vert.x route), which has no request scope: a refusal's audit event then carries {@code request}'s id and
     * address, as every other event of the request does. Null: those of the request scope.
     */
    public Uni<Role> require(String subject, String workspaceId, Permission permission, RequestFacts request) {
        return requireRole(subject, workspaceId, permission, request)
                .call(role -> ALLOWED_WHILE_DELETION_PENDING.contains(permission)
                        ? Uni.createFrom().voidItem()
                        : Panache.withSession(() -> deletions.isUnderway(UUID.fromString(workspaceId)))
                                .invoke(underway -> {
                                    if (underway) {
                                        throw deletionPending();
                                    }
                                }));
    }

    /** A change refused because the workspace is to be deleted. */
    public static ProblemException deletionPending() {
        return new ProblemException(
                409,
                "workspace-deletion-pending",
                "Workspace deletion pending",
                "this workspace is to be deleted and takes no more changes; it can still be read and exported, and"
                        + " an Owner can cancel the deletion (DELETE .../deletion) until its grace period ends");
    }

    private Uni<Role> requireRole(String subject, String workspaceId, Permission permission, RequestFacts request) {
        UUID workspace = parse(workspaceId);
        if (workspace == null) {
            return Uni.createFrom().failure(notFound(workspaceId));
        }
        Key key = new Key(subject, workspace);
        Grant remembered = recentGrants.get(key);
        if (remembered != null
                && remembered.validUntilNanos() - System.nanoTime() > 0
                && PermissionMatrix.allows(remembered.role(), permission)) {
            return Uni.createFrom().item(remembered.role());
        }
        return Panache.withSession(() -> memberships.find(workspace, subject)).chain(membership -> {
            if (membership == null || !membership.activeAt(Instant.now())) {
                recentGrants.remove(key);
                return deny(
                                subject,
                                workspace,
                                permission,
                                membership == null ? "not a member" : "access expired",
                                request)
                        .chain(() -> Uni.createFrom().failure(notFound(workspaceId)));
            }
            if (!PermissionMatrix.allows(membership.role, permission)) {
                return deny(subject, workspace, permission, "role " + membership.role.title(), request)
                        .chain(() -> Uni.createFrom().failure(forbidden(membership, permission)));
            }
            remember(key, membership);
            return Uni.createFrom().item(membership.role);
        });
    }

    /**
     * Remembers an active membership for a moment (spalce.gateway.access-memo, 2 seconds by default), so that a
     * burst of requests costs one database read. A role change, a removal or an auditor's expiry therefore takes
     * effect within that moment, and never later than the membership's own end.
     */
    private void remember(Key key, Membership membership) {
        if (grantTtlNanos <= 0) {
            return;
        }
        long until = System.nanoTime() + grantTtlNanos;
        if (membership.accessExpiresAt != null) {
            long untilExpiry = System.nanoTime()
                    + java.time.Duration.between(Instant.now(), membership.accessExpiresAt)
                            .toNanos();
            until = Math.min(until, untilExpiry);
        }
        if (recentGrants.size() > MEMO_LIMIT) {
            recentGrants.clear();
        }
        recentGrants.put(key, new Grant(membership.role, until));
    }

    /** Forgets what is remembered of a membership, when it changes through this instance. */
    public void forget(String subject, UUID workspace) {
        recentGrants.remove(new Key(subject, workspace));
    }

    /**
     * Announces a committed change of a membership (role changed, member removed) to whatever holds a long-lived
     * grant of it, such as an open progress stream, which then checks again.
     */
    public void changed(String subject, UUID workspace) {
        forget(subject, workspace);
        changes.onNext(new Key(subject, workspace));
    }

    /** Emits each time {@link #changed} announces a change of this membership. */
    public Multi<Void> changesOf(String subject, UUID workspace) {
        Key key = new Key(subject, workspace);
        return changes.filter(key::equals).map(ignored -> null);
    }

    /**
     * Audits a refusal. Refusals in a workspace that exists go to its log; probes of ids that name no workspace
     * go to the platform log, so that nobody can create audit chains by guessing ids.
     */
    public Uni<Void> deny(String subject, UUID workspace, Permission permission, String reason) {
        return deny(subject, workspace, permission, reason, null);
    }

    private Uni<Void> deny(String subject, UUID workspace, Permission permission, String reason, RequestFacts request) {
        Map<String, String> details = Map.of("permission", permission.slug(), "reason", reason);
        Target target = new Target("workspace", workspace.toString());
        return Panache.withTransaction(() -> workspaces.findById(workspace).chain(found -> {
            String log = found == null ? CloudEvent.PLATFORM_WORKSPACE : workspace.toString();
            return request == null
                    ? audit.record(log, AuditAction.ACCESS_DENIED, Actor.user(subject), target, Outcome.DENIED, details)
                    : audit.record(
                            log,
                            AuditAction.ACCESS_DENIED,
                            Actor.user(subject),
                            target,
                            Outcome.DENIED,
                            details,
                            request.requestId(),
                            request.sourceAddress());
        }));
    }

    /** The request id and client address of a request served outside a request scope. */
    public record RequestFacts(String requestId, String sourceAddress) {}

    private static ProblemException forbidden(Membership membership, Permission permission) {
        return new ProblemException(
                403,
                "forbidden",
                "Forbidden",
                "your role (" + membership.role.title() + ") does not grant " + permission.slug()
                        + " in this workspace");
    }

    /** The same answer for a workspace that does not exist and one the caller may not see; no input echoed. */
    public static ProblemException notFound(String workspaceId) {
        return new ProblemException(404, "not-found", "Not found", "no such workspace");
    }

    /**
     * The workspace, if named in its one spelling ({@link WorkspaceIds}): an upper-case or shortened spelling, which
     * {@code UUID.fromString} would accept, names no workspace here (404), so that no request, token or audit
     * entry downstream ever carries a second spelling of a tenant.
     */
    private static UUID parse(String workspaceId) {
        return WorkspaceIds.isCanonical(workspaceId) ? UUID.fromString(workspaceId) : null;
    }
}
