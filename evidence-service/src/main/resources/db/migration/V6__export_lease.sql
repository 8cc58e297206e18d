-- An export is written by one instance, which holds a lease on it and renews it while the export waits in that
-- instance's queue and while it is written. An export whose lease has run out belongs to an instance that stopped:
-- another instance claims it (a compare-and-set on the lease and the attempt) and writes it again from the start,
-- under an object key of its own attempt, so that a stalled writer that wakes up can neither finish the export nor
-- overwrite the new archive. After spalce.evidence.export.max-attempts the export is failed instead.
ALTER TABLE workspace_export
    ADD COLUMN lease_until timestamptz,
    ADD COLUMN attempt     integer NOT NULL DEFAULT 1 CHECK (attempt >= 1);

-- Exports already running when this is applied: their instance may still be at work, so they get a grace period.
UPDATE workspace_export SET lease_until = clock_timestamp() + interval '10 minutes' WHERE state = 'running';

CREATE INDEX workspace_export_lease_idx ON workspace_export (lease_until) WHERE state = 'running';

GRANT UPDATE (lease_until, attempt, object_key) ON workspace_export TO ${app_user};

-- The running exports whose lease has run out, across workspaces: their ids only, which the service then claims one
-- by one inside that workspace's own row-level security scope. SECURITY DEFINER because the policy hides other
-- workspaces' rows from the service's role; it reveals nothing but the ids, and its search path is pinned.
CREATE FUNCTION orphaned_exports(max_rows integer)
    RETURNS TABLE (export_id uuid, export_workspace_id text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = ${schema}, pg_temp
AS $$
    SELECT e.id, e.workspace_id
    FROM workspace_export e
    WHERE e.state = 'running' AND e.lease_until < clock_timestamp()
    ORDER BY e.lease_until
    LIMIT max_rows
$$;
REVOKE ALL ON FUNCTION orphaned_exports(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orphaned_exports(integer) TO ${app_user};
