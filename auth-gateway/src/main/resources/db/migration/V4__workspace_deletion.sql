-- Deleting a workspace (docs/deletion.md). An Owner's request starts a grace period (purge_after), during which the
-- workspace refuses changes but can still be read and exported, and the request can be cancelled (the row is then
-- deleted). After it the gateway purges, one step at a time, each step's answer stored before the next so that a
-- restart resumes where it stopped and repeats nothing that counted: crypto-service shreds the keys
-- (keys_shredded), evidence-service deletes rows and objects (data_purged), audit-log-service seals the chain
-- (audit_seq); then the workspace's own rows here are deleted. The row stays as the record of what was done: the
-- former Owners may still read it, with the advice on disabling a key of their own.
CREATE TABLE workspace_deletion (
    workspace_id    uuid        PRIMARY KEY,                   -- no reference: the workspace row goes, this stays
    requested_by    text        NOT NULL,                      -- the Owner's subject
    requested_at    timestamptz NOT NULL,
    purge_after     timestamptz NOT NULL,
    state           text        NOT NULL CHECK (state IN ('pending', 'purging', 'purged')),
    keys_shredded   text,                                      -- JSON: crypto-service's answer (no key material)
    data_purged     text,                                      -- JSON: evidence-service's answer (counts)
    audit_seq       bigint,                                    -- the workspace.deleted entry's position
    former_owners   text,                                      -- JSON array of subjects, set when purged
    lease_until     timestamptz,                               -- an instance is purging it until then
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text,                                      -- why the last attempt stopped, for operators
    purged_at       timestamptz
);
CREATE INDEX workspace_deletion_due_idx ON workspace_deletion (state, purge_after);

GRANT SELECT, INSERT, UPDATE, DELETE ON workspace_deletion TO ${app_user};
-- The purge deletes the workspace's own rows here.
GRANT DELETE ON workspace, invitation TO ${app_user};
