-- The tenant key registry: each workspace's customer master key (CMK) and its versions. Names keys, never holds
-- key material (that stays in the provider). The service role may read, add and update rows, never delete them:
-- a version that wrapped data keys must stay known for as long as those keys are stored.

CREATE TABLE tenant_key (
    workspace_id          text        PRIMARY KEY,
    provider              text        NOT NULL CHECK (provider ~ '^[a-z0-9-]{1,32}$'),
    key_reference         text        NOT NULL CHECK (length(key_reference) BETWEEN 1 AND 1024),
    key_created           boolean     NOT NULL,              -- true when crypto-service created the key
    current_version       integer     NOT NULL CHECK (current_version >= 1),
    rotation_period_days  integer     NOT NULL DEFAULT 365 CHECK (rotation_period_days BETWEEN 1 AND 3650),
    last_rotated_at       timestamptz NOT NULL,              -- when current_version became current
    next_rotation_at      timestamptz NOT NULL,              -- when the scheduler rotates next
    rotation_failures     integer     NOT NULL DEFAULT 0,    -- scheduled attempts failed since the last success
    last_rotation_error   text,                              -- the last failure's kind; never key material
    registered_by         text        NOT NULL,              -- actor, as type:subject
    registered_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at            timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- One CMK serves one workspace: a second workspace registering it would share its keys.
    CONSTRAINT tenant_key_provider_reference_key UNIQUE (provider, key_reference)
);

-- The scheduler's query: the workspaces whose rotation is due, oldest first.
CREATE INDEX tenant_key_next_rotation_idx ON tenant_key (next_rotation_at);

CREATE TABLE tenant_key_version (
    kms_key_id        text        PRIMARY KEY,                -- <provider>:<key_reference>#v<version>
    workspace_id      text        NOT NULL REFERENCES tenant_key (workspace_id),
    version           integer     NOT NULL CHECK (version >= 1),
    -- enabled: wraps (if current) and unwraps; retirable: nothing should reference it any more, still unwraps;
    -- retired: unwraps nothing.
    state             text        NOT NULL CHECK (state IN ('enabled', 'retirable', 'retired')),
    created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    state_changed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT tenant_key_version_workspace_version_key UNIQUE (workspace_id, version)
);

-- A key's identity (provider, reference, workspace, version numbers) is written once: only its lifecycle columns
-- can change.
GRANT SELECT, INSERT ON tenant_key TO ${app_user};
GRANT UPDATE (current_version, rotation_period_days, last_rotated_at, next_rotation_at, rotation_failures,
              last_rotation_error, updated_at) ON tenant_key TO ${app_user};
GRANT SELECT, INSERT ON tenant_key_version TO ${app_user};
GRANT UPDATE (state, state_changed_at) ON tenant_key_version TO ${app_user};
