package dev.spalce.gateway.invitation.repository;

import dev.spalce.gateway.invitation.model.Invitation;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.UUID;

@ApplicationScoped
public class InvitationRepository implements PanacheRepositoryBase<Invitation, UUID> {

    /** The invitation with this token digest, locked so that two concurrent accepts cannot both succeed. */
    public Uni<Invitation> findForAcceptance(String tokenDigest) {
        return find("tokenDigest", tokenDigest)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }
}
