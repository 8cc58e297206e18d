package dev.spalce.evidence.common.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The second wall between tenants: every table holding tenant data has a PostgreSQL row-level security policy
 * that shows and accepts only rows whose {@code workspace_id} equals the transaction's
 * {@code spalce.workspace_id} setting (V1__evidence.sql). {@link #transaction} opens a transaction, sets it for
 * that transaction only ({@code set_config(..., true)}), then runs the work: a query that forgot its workspace
 * filter still sees nothing of another tenant, and an insert for another workspace is refused.
 */
@ApplicationScoped
public class WorkspaceScope {

    /** The setting the row-level security policies read. */
    public static final String SETTING = "spalce.workspace_id";

    public <T> Uni<T> transaction(String workspaceId, Supplier<Uni<T>> work) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("SELECT set_config('" + SETTING + "', :workspace, true)")
                        .setParameter("workspace", workspaceId)
                        .getSingleResult())
                .chain(ignored -> work.get()));
    }
}
