-- A workspace may change its customer master key (same provider or another): over time it holds several keys,
-- exactly one of them current. The previous ones stay known, because stored data keys are still wrapped under
-- them until a rewrap job has moved every one; then they are detached (Spalce never calls them again, and their
-- owner may disable them in their KMS). A key row is never deleted: the registry keeps the history. A key still
-- serves one workspace, ever: the unique (provider, key_identity) and (provider, key_reference) stay as they are,
-- across current, previous and detached keys alike.

ALTER TABLE tenant_key ADD COLUMN key_id uuid;
UPDATE tenant_key SET key_id = gen_random_uuid();
ALTER TABLE tenant_key ALTER COLUMN key_id SET NOT NULL;
-- current: wraps new data keys and unwraps; previous: replaced, still unwraps what has not been moved yet;
-- detached: nothing references it, unwraps nothing, never called again.
ALTER TABLE tenant_key ADD COLUMN state text NOT NULL DEFAULT 'current'
    CHECK (state IN ('current', 'previous', 'detached'));
ALTER TABLE tenant_key ADD COLUMN replaced_at timestamptz;  -- when it stopped being current
ALTER TABLE tenant_key ADD COLUMN detached_at timestamptz;  -- when it was detached

ALTER TABLE tenant_key_version DROP CONSTRAINT tenant_key_version_workspace_id_fkey;
ALTER TABLE tenant_key_version DROP CONSTRAINT tenant_key_version_workspace_version_key;
ALTER TABLE tenant_key DROP CONSTRAINT tenant_key_pkey;
ALTER TABLE tenant_key ADD CONSTRAINT tenant_key_pkey PRIMARY KEY (key_id);
-- Exactly one current key per workspace; a change makes the old one previous before the new one is written.
CREATE UNIQUE INDEX tenant_key_one_current_idx ON tenant_key (workspace_id) WHERE state = 'current';
CREATE INDEX tenant_key_workspace_idx ON tenant_key (workspace_id);

-- Version numbers are per key: a new key starts again at its own first version.
ALTER TABLE tenant_key_version ADD COLUMN key_id uuid;
UPDATE tenant_key_version v SET key_id = k.key_id FROM tenant_key k WHERE k.workspace_id = v.workspace_id;
ALTER TABLE tenant_key_version ALTER COLUMN key_id SET NOT NULL;
ALTER TABLE tenant_key_version ADD CONSTRAINT tenant_key_version_key_id_fkey
    FOREIGN KEY (key_id) REFERENCES tenant_key (key_id);
ALTER TABLE tenant_key_version ADD CONSTRAINT tenant_key_version_key_version_key UNIQUE (key_id, version);
CREATE INDEX tenant_key_version_workspace_idx ON tenant_key_version (workspace_id);

ALTER TABLE tenant_key ALTER COLUMN state DROP DEFAULT;

GRANT UPDATE (state, replaced_at, detached_at) ON tenant_key TO ${app_user};
