package dev.spalce.evidence.personnel.repository;

import dev.spalce.evidence.personnel.model.Person;
import dev.spalce.evidence.personnel.model.PersonSummary;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Queries of personnel rows; every one names the workspace (row-level security checks it again). */
@ApplicationScoped
public class PersonRepository implements PanacheRepositoryBase<Person, UUID> {

    public Uni<Person> find(String workspaceId, UUID id) {
        return find("workspaceId = ?1 and id = ?2", workspaceId, id).firstResult();
    }

    /** Rows whose email blind index matches, without decrypting anything. */
    public Uni<List<Person>> byEmailIndex(String workspaceId, byte[] emailIndex) {
        return list("workspaceId = ?1 and emailIndex = ?2 order by createdAt, id", workspaceId, emailIndex);
    }

    /** A page in creation order, after the cursor position when given. */
    public Uni<List<Person>> page(String workspaceId, Instant afterTime, UUID afterId, int limit) {
        return inCreationOrder(workspaceId, afterTime, afterId).page(0, limit).list();
    }

    /** The same page as {@link #page}, as summaries: the non-PII columns only, no ciphertext is read. */
    public Uni<List<PersonSummary>> summaries(String workspaceId, Instant afterTime, UUID afterId, int limit) {
        return inCreationOrder(workspaceId, afterTime, afterId)
                .project(PersonSummary.class)
                .page(0, limit)
                .list();
    }

    private PanacheQuery<Person> inCreationOrder(String workspaceId, Instant afterTime, UUID afterId) {
        if (afterTime == null) {
            return find("workspaceId = ?1 order by createdAt, id", workspaceId);
        }
        return find(
                "workspaceId = ?1 and (createdAt > ?2 or (createdAt = ?2 and id > ?3)) order by createdAt, id",
                workspaceId,
                afterTime,
                afterId);
    }
}
