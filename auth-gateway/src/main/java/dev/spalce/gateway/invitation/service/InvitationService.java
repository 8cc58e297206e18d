package dev.spalce.gateway.invitation.service;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.access.Permission;
import dev.spalce.contracts.access.Role;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.gateway.invitation.model.Invitation;
import dev.spalce.gateway.invitation.repository.InvitationRepository;
import dev.spalce.gateway.workspace.model.Membership;
import dev.spalce.gateway.workspace.repository.MembershipRepository;
import dev.spalce.gateway.workspace.service.WorkspaceAccess;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.audit.AuditTrail;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Auditor invitations. An Owner invites an email address; the invitation carries a random single-use token
 * (256 bits) that is shown once and stored only as its SHA-256 digest. Whoever accepts it must be signed in
 * with that email address; they become an Auditor until the date the Owner set. An expired, reused or unknown
 * token is refused and audited.
 */
@ApplicationScoped
public class InvitationService {

    static final Duration DEFAULT_VALIDITY = Duration.ofDays(7);
    static final Duration LONGEST_VALIDITY = Duration.ofDays(30);
    static final Duration LONGEST_ACCESS = Duration.ofDays(366);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final InvitationRepository invitations;
    private final MembershipRepository memberships;
    private final WorkspaceAccess access;
    private final AuditTrail audit;

    public InvitationService(
            InvitationRepository invitations,
            MembershipRepository memberships,
            WorkspaceAccess access,
            AuditTrail audit) {
        this.invitations = invitations;
        this.memberships = memberships;
        this.access = access;
        this.audit = audit;
    }

    /** A new invitation and its token, which exists nowhere else. */
    public record Issued(Invitation invitation, String token) {}

    public Uni<Issued> invite(String owner, String workspaceId, String email, Instant accessUntil, Duration validFor) {
        Instant now = Instant.now();
        Duration validity = validFor == null ? DEFAULT_VALIDITY : validFor;
        if (validity.isNegative() || validity.isZero() || validity.compareTo(LONGEST_VALIDITY) > 0) {
            return Uni.createFrom().failure(ProblemException.invalid("an invitation is valid for 1 to 30 days"));
        }
        if (!accessUntil.isAfter(now) || accessUntil.isAfter(now.plus(LONGEST_ACCESS))) {
            return Uni.createFrom()
                    .failure(ProblemException.invalid("accessUntil must be in the future, within a year"));
        }
        return access.require(owner, workspaceId, Permission.INVITE_AUDITORS).chain(role -> {
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            Invitation invitation = new Invitation();
            invitation.id = UUID.randomUUID();
            invitation.workspaceId = UUID.fromString(workspaceId);
            invitation.email = email.strip().toLowerCase(Locale.ROOT);
            invitation.tokenDigest = digest(token);
            invitation.accessExpiresAt = accessUntil;
            invitation.expiresAt = now.plus(validity).isBefore(accessUntil) ? now.plus(validity) : accessUntil;
            invitation.createdBy = owner;
            // The audit event names the invitation, not the email address: no PII in the audit log.
            return Panache.withTransaction(() -> invitations
                            .persist(invitation)
                            .call(() -> audit.record(
                                    workspaceId,
                                    AuditAction.MEMBER_INVITED,
                                    Actor.user(owner),
                                    new Target("invitation", invitation.id.toString()),
                                    Outcome.SUCCESS,
                                    Map.of("role", Role.AUDITOR.title(), "accessUntil", accessUntil.toString()))))
                    .replaceWith(new Issued(invitation, token));
        });
    }

    /** Turns a valid invitation into an Auditor membership for the signed-in user it was sent to. */
    public Uni<Membership> accept(String token, String subject, String email) {
        String digest = digest(token);
        Instant now = Instant.now();
        return Panache.withTransaction(() -> invitations
                        .findForAcceptance(digest)
                        .chain(invitation -> {
                            if (invitation == null) {
                                return Uni.createFrom()
                                        .failure(new Refusal(
                                                null,
                                                "unknown token",
                                                new ProblemException(
                                                        404,
                                                        "invitation-not-found",
                                                        "Not found",
                                                        "no invitation has this token")));
                            }
                            if (invitation.acceptedAt != null) {
                                return Uni.createFrom()
                                        .failure(new Refusal(
                                                invitation,
                                                "token reused",
                                                new ProblemException(
                                                        410,
                                                        "invitation-used",
                                                        "Gone",
                                                        "this invitation has already been used")));
                            }
                            if (!now.isBefore(invitation.expiresAt)) {
                                return Uni.createFrom()
                                        .failure(
                                                new Refusal(
                                                        invitation,
                                                        "invitation expired",
                                                        new ProblemException(
                                                                410,
                                                                "invitation-expired",
                                                                "Gone",
                                                                "this invitation has expired; ask the workspace Owner for a new one")));
                            }
                            if (email == null
                                    || !invitation.email.equals(email.strip().toLowerCase(Locale.ROOT))) {
                                return Uni.createFrom()
                                        .failure(new Refusal(
                                                invitation,
                                                "signed in with another email",
                                                new ProblemException(
                                                        403,
                                                        "invitation-not-for-you",
                                                        "Forbidden",
                                                        "this invitation was sent to another email address")));
                            }
                            return memberships
                                    .find(invitation.workspaceId, subject)
                                    .chain(existing -> {
                                        if (existing != null) {
                                            return Uni.createFrom()
                                                    .failure(new ProblemException(
                                                            409,
                                                            "already-a-member",
                                                            "Conflict",
                                                            "you are already a member of this workspace"));
                                        }
                                        invitation.acceptedAt = now;
                                        invitation.acceptedBy = subject;
                                        Membership auditor = new Membership();
                                        auditor.workspaceId = invitation.workspaceId;
                                        auditor.subject = subject;
                                        auditor.role = Role.AUDITOR;
                                        auditor.accessExpiresAt = invitation.accessExpiresAt;
                                        auditor.addedBy = invitation.createdBy;
                                        auditor.addedAt = now.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
                                        return memberships
                                                .persist(auditor)
                                                .call(() -> audit.record(
                                                        invitation.workspaceId.toString(),
                                                        AuditAction.MEMBER_JOINED,
                                                        Actor.user(subject),
                                                        new Target("invitation", invitation.id.toString()),
                                                        Outcome.SUCCESS,
                                                        Map.of(
                                                                "role",
                                                                Role.AUDITOR.title(),
                                                                "accessUntil",
                                                                invitation.accessExpiresAt.toString())))
                                                .replaceWith(auditor);
                                    });
                        }))
                .onFailure(Refusal.class)
                .recoverWithUni(failure -> {
                    Refusal refusal = (Refusal) failure;
                    return auditRefusal(subject, refusal)
                            .chain(() -> Uni.createFrom().failure(refusal.problem()));
                });
    }

    /** Refusals are audited in their own transaction: the acceptance's transaction rolled back. */
    private Uni<Void> auditRefusal(String subject, Refusal refusal) {
        String workspace = refusal.invitation() == null
                ? CloudEvent.PLATFORM_WORKSPACE
                : refusal.invitation().workspaceId.toString();
        String target = refusal.invitation() == null
                ? "unknown"
                : refusal.invitation().id.toString();
        return Panache.withTransaction(() -> audit.record(
                workspace,
                AuditAction.ACCESS_DENIED,
                Actor.user(subject),
                new Target("invitation", target),
                Outcome.DENIED,
                Map.of("reason", refusal.reason())));
    }

    /** Why an acceptance was refused, carried out of the transaction to be audited. */
    private static final class Refusal extends RuntimeException {
        private final transient Invitation invitation;
        private final String reason;
        private final ProblemException problem;

        Refusal(Invitation invitation, String reason, ProblemException problem) {
            super(reason, null, false, false);
            this.invitation = invitation;
            this.reason = reason;
            this.problem = problem;
        }

        Invitation invitation() {
            return invitation;
        }

        String reason() {
            return reason;
        }

        ProblemException problem() {
            return problem;
        }
    }

    static String digest(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
