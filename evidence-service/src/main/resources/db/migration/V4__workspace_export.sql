-- Workspace exports (docs/export.md): one row per export job, its state and progress like a rewrap job's. The
-- archive itself is an object in the evidence bucket (object_key); it holds ciphertext and wrapped keys only.
CREATE TABLE workspace_export (
    id                 uuid        PRIMARY KEY,
    workspace_id       text        NOT NULL,
    state              text        NOT NULL CHECK (state IN ('running', 'completed', 'failed')),
    requested_by       text        NOT NULL,               -- actor, as type:subject
    requested_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at        timestamptz,
    records_total      bigint      NOT NULL DEFAULT 0,     -- records and evidence objects to write
    records_done       bigint      NOT NULL DEFAULT 0,
    object_key         text        NOT NULL UNIQUE,
    archive_bytes      bigint,
    archive_sha256     text,                               -- hex, of the whole archive
    error              text
);
CREATE INDEX workspace_export_workspace_idx ON workspace_export (workspace_id, requested_at DESC, id DESC);

ALTER TABLE workspace_export ENABLE ROW LEVEL SECURITY;
CREATE POLICY workspace_export_workspace ON workspace_export
    USING (workspace_id = current_setting('spalce.workspace_id', true))
    WITH CHECK (workspace_id = current_setting('spalce.workspace_id', true));

GRANT SELECT, INSERT ON workspace_export TO ${app_user};
GRANT UPDATE (state, finished_at, records_total, records_done, archive_bytes, archive_sha256, error)
    ON workspace_export TO ${app_user};
