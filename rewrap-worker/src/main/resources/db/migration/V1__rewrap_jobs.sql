-- rewrap-worker's own state: what it knows of each workspace's current CMK version (from spalce.keys.v1), the
-- rewrap jobs with their checkpoints, and the key events already handled. Names key versions, never holds key
-- material: the worker never sees a plaintext DEK.

-- The latest version each workspace's CMK has, as cmk.registered / cmk.rotated said. Only ever moves forward.
CREATE TABLE workspace_key (
    workspace_id      text        PRIMARY KEY,
    current_kms_key_id text       NOT NULL,
    current_version   integer     NOT NULL CHECK (current_version >= 1),
    updated_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- One job moves every data key of one workspace to one CMK version. cursor is where the current pass stands
-- (opaque, from evidence-service's paging), written with done/skipped after each batch: the checkpoint a
-- restarted worker resumes from.
CREATE TABLE rewrap_job (
    id                 uuid        PRIMARY KEY,
    workspace_id       text        NOT NULL,
    target_kms_key_id  text        NOT NULL CHECK (target_kms_key_id ~ '^[a-z0-9-]{1,32}:.+#v[1-9][0-9]*$'),
    state              text        NOT NULL CHECK (state IN ('running', 'paused', 'failed', 'completed', 'cancelled')),
    total              bigint      NOT NULL DEFAULT 0 CHECK (total >= 0),   -- not on the target when the pass began
    done               bigint      NOT NULL DEFAULT 0 CHECK (done >= 0),    -- re-wrapped so far, all passes
    skipped            bigint      NOT NULL DEFAULT 0 CHECK (skipped >= 0), -- changed meanwhile; picked up by the next pass
    pass               integer     NOT NULL DEFAULT 0 CHECK (pass >= 0),
    cursor             text,
    requested_by       text        NOT NULL,                                -- actor, as type:subject
    last_error         text,                                                -- the last failure's kind; never key material
    created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at        timestamptz
);

-- At most one unfinished job per workspace and target: a second request joins it.
CREATE UNIQUE INDEX rewrap_job_one_unfinished_per_target
    ON rewrap_job (workspace_id, target_kms_key_id) WHERE state IN ('running', 'paused');
CREATE INDEX rewrap_job_workspace_idx ON rewrap_job (workspace_id, created_at DESC);

-- Key events already handled, so that a redelivered event changes nothing.
CREATE TABLE handled_key_event (
    event_id    text        PRIMARY KEY,
    handled_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

GRANT SELECT, INSERT, UPDATE ON workspace_key TO ${app_user};
GRANT SELECT, INSERT ON rewrap_job TO ${app_user};
-- A job's identity (workspace, target, requester) is written once; its progress and state change.
GRANT UPDATE (state, total, done, skipped, pass, cursor, last_error, updated_at, finished_at) ON rewrap_job TO ${app_user};
GRANT SELECT, INSERT ON handled_key_event TO ${app_user};
