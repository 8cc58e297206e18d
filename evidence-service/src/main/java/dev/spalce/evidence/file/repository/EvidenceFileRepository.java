package dev.spalce.evidence.file.repository;

import dev.spalce.evidence.file.model.EvidenceFile;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Queries of evidence metadata; every one names the workspace (row-level security checks it again). */
@ApplicationScoped
public class EvidenceFileRepository implements PanacheRepositoryBase<EvidenceFile, UUID> {

    public Uni<EvidenceFile> find(String workspaceId, UUID id) {
        return find("workspaceId = ?1 and id = ?2", workspaceId, id).firstResult();
    }

    /**
     * A page, newest first, after the cursor position ({@code afterTime}, {@code afterId}) when given, filtered by
     * control, tag and upload time when given.
     */
    public Uni<List<EvidenceFile>> page(
            String workspaceId,
            String controlId,
            String tag,
            Instant from,
            Instant to,
            Instant afterTime,
            UUID afterId,
            int limit) {
        StringBuilder query = new StringBuilder("workspaceId = :workspace");
        Parameters parameters = Parameters.with("workspace", workspaceId);
        if (controlId != null) {
            query.append(" and controlId = :control");
            parameters.and("control", controlId);
        }
        if (tag != null) {
            query.append(" and tags like :tag");
            parameters.and("tag", "%," + tag + ",%");
        }
        if (from != null) {
            query.append(" and uploadedAt >= :from");
            parameters.and("from", from);
        }
        if (to != null) {
            query.append(" and uploadedAt < :to");
            parameters.and("to", to);
        }
        if (afterTime != null) {
            query.append(" and (uploadedAt < :afterTime or (uploadedAt = :afterTime and id < :afterId))");
            parameters.and("afterTime", afterTime).and("afterId", afterId);
        }
        query.append(" order by uploadedAt desc, id desc");
        return find(query.toString(), parameters).page(0, limit).list();
    }
}
