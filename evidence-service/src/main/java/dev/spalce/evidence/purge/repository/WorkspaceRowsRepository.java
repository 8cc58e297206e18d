package dev.spalce.evidence.purge.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every table of evidence-service holding a workspace's rows, deleted together. */
@ApplicationScoped
public class WorkspaceRowsRepository {

    /** The tables with a {@code workspace_id} column: every one of them, so that a purge leaves nothing. */
    static final List<String> TABLES =
            List.of("evidence_file", "personnel", "integration", "check_result", "workspace_export");

    /**
     * Deletes the workspace's rows from every table; how many per table. Run inside the workspace's scope
     * (row-level security admits its rows only).
     */
    public Uni<Map<String, Long>> deleteAll(String workspaceId) {
        Map<String, Long> deleted = new LinkedHashMap<>();
        return Multi.createFrom()
                .iterable(TABLES)
                .onItem()
                .transformToUniAndConcatenate(table -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(
                                        // The table names are the constant list above, never input.
                                        "DELETE FROM " + table + " WHERE workspace_id = :workspace")
                                .setParameter("workspace", workspaceId)
                                .executeUpdate())
                        .invoke(count -> deleted.put(table, count.longValue())))
                .collect()
                .last()
                .replaceWith(deleted);
    }
}
