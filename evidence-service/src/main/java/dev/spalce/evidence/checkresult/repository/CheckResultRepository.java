package dev.spalce.evidence.checkresult.repository;

import dev.spalce.evidence.checkresult.model.CheckResult;
import dev.spalce.evidence.common.repository.KeysetCursor;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Queries of check results; every one names the workspace (row-level security checks it again). */
@ApplicationScoped
public class CheckResultRepository implements PanacheRepositoryBase<CheckResult, UUID> {

    public Uni<CheckResult> find(String workspaceId, UUID id) {
        return find("workspaceId = ?1 and id = ?2", workspaceId, id).firstResult();
    }

    /**
     * Newest first, filtered by control, run and status when given; at most {@code limit}, after the cursor's
     * position (a result recorded before it, or at the same time with a smaller id) when it names one.
     */
    public Uni<List<CheckResult>> search(
            String workspaceId, String controlId, String runId, String status, KeysetCursor after, int limit) {
        StringBuilder query = new StringBuilder("workspaceId = ?1");
        List<Object> parameters = new ArrayList<>(List.of(workspaceId));
        for (String[] filter : new String[][] {{"controlId", controlId}, {"runId", runId}, {"status", status}}) {
            if (filter[1] != null) {
                parameters.add(filter[1]);
                query.append(" and ").append(filter[0]).append(" = ?").append(parameters.size());
            }
        }
        if (after.afterTime() != null) {
            parameters.add(after.afterTime());
            int time = parameters.size();
            parameters.add(after.afterId());
            query.append(" and (recordedAt < ?")
                    .append(time)
                    .append(" or (recordedAt = ?")
                    .append(time)
                    .append(" and id < ?")
                    .append(parameters.size())
                    .append("))");
        }
        query.append(" order by recordedAt desc, id desc");
        return find(query.toString(), parameters.toArray()).page(0, limit).list();
    }
}
