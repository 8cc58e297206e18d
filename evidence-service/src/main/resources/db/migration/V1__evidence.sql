-- evidence-service's tenant data. Every row that holds a ciphertext has its own DEK, stored wrapped next to it
-- (wrapped_dek, kms_key_id: the CMK version that wrapped it) with the payload format version (docs/format.md).
-- No plaintext of an evidence file, an email, a phone number, a government id, a credential or check details
-- is ever stored: see docs/evidence.md.
--
-- Row-level security is the second wall between tenants (the first: every query filters by workspace). Each
-- policy admits only rows of the workspace named by the transaction's spalce.workspace_id setting, which the
-- service sets at the start of every transaction (WorkspaceScope); with no setting, nothing is visible. The
-- service role owns no table, so the policies always apply to it.

-- Evidence files: metadata here, the ciphertext in object storage (object_key).
CREATE TABLE evidence_file (
    id                 uuid        PRIMARY KEY,
    workspace_id       text        NOT NULL,
    name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    media_type         text        NOT NULL,
    control_id         text,
    tags               text        NOT NULL DEFAULT ',',   -- ",tag1,tag2,": exact-match filter with LIKE
    size_bytes         bigint      NOT NULL CHECK (size_bytes > 0),
    ciphertext_bytes   bigint      NOT NULL,
    sha256_plaintext   text        NOT NULL,               -- hex, chain of custody
    sha256_ciphertext  text        NOT NULL,               -- hex, checked before every download
    object_key         text        NOT NULL UNIQUE,
    wrapped_dek        bytea       NOT NULL,
    kms_key_id         text        NOT NULL,
    format_version     smallint    NOT NULL,
    uploaded_by        text        NOT NULL,               -- actor, as type:subject
    uploaded_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX evidence_file_workspace_idx ON evidence_file (workspace_id, uploaded_at DESC, id DESC);
CREATE INDEX evidence_file_key_idx ON evidence_file (workspace_id, kms_key_id, id);

-- Personnel: every PII column encrypted under the row's DEK, each bound to its own field name.
CREATE TABLE personnel (
    id                  uuid        PRIMARY KEY,
    workspace_id        text        NOT NULL,
    full_name_ct        bytea       NOT NULL,
    email_ct            bytea       NOT NULL,
    phone_ct            bytea,
    government_id_ct    bytea,
    email_index         bytea       NOT NULL,              -- HMAC-SHA256 of the normalised email, per-workspace key
    department          text,
    wrapped_dek         bytea       NOT NULL,
    kms_key_id          text        NOT NULL,
    format_version      smallint    NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at          timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX personnel_workspace_idx ON personnel (workspace_id, created_at, id);
CREATE INDEX personnel_email_index_idx ON personnel (workspace_id, email_index);
CREATE INDEX personnel_key_idx ON personnel (workspace_id, kms_key_id, id);

-- Integrations: credentials encrypted as one field; only a masked form is readable in clear.
CREATE TABLE integration (
    id                  uuid        PRIMARY KEY,
    workspace_id        text        NOT NULL,
    kind                text        NOT NULL,              -- aws, oauth, api-token
    name                text        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    credentials_ct      bytea       NOT NULL,
    credentials_masked  text        NOT NULL,              -- JSON object, each value masked
    wrapped_dek         bytea       NOT NULL,
    kms_key_id          text        NOT NULL,
    format_version      smallint    NOT NULL,
    connected_by        text        NOT NULL,
    connected_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX integration_workspace_idx ON integration (workspace_id, connected_at, id);
CREATE INDEX integration_key_idx ON integration (workspace_id, kms_key_id, id);

-- Compliance check results: the scan's verdict in clear, its free-text details encrypted.
CREATE TABLE check_result (
    id                  uuid        PRIMARY KEY,
    workspace_id        text        NOT NULL,
    control_id          text        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('pass', 'fail', 'error', 'not-applicable')),
    run_id              text        NOT NULL,
    evidence_ids        text        NOT NULL DEFAULT '',   -- comma-separated evidence file ids
    details_ct          bytea       NOT NULL,
    wrapped_dek         bytea       NOT NULL,
    kms_key_id          text        NOT NULL,
    format_version      smallint    NOT NULL,
    recorded_by         text        NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX check_result_workspace_idx ON check_result (workspace_id, recorded_at DESC, id DESC);
CREATE INDEX check_result_key_idx ON check_result (workspace_id, kms_key_id, id);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['evidence_file', 'personnel', 'integration', 'check_result'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (workspace_id = current_setting(''spalce.workspace_id'', true)) '
                       'WITH CHECK (workspace_id = current_setting(''spalce.workspace_id'', true))', t || '_workspace', t);
    END LOOP;
END
$$;

-- Identity, workspace and ciphertext binding columns are never updated; rewrap changes wrapped_dek and
-- kms_key_id only (compare-and-set), a personnel change its encrypted fields.
GRANT SELECT, INSERT, DELETE ON evidence_file, personnel, integration, check_result TO ${app_user};
GRANT UPDATE (wrapped_dek, kms_key_id) ON evidence_file, personnel, integration, check_result TO ${app_user};
GRANT UPDATE (full_name_ct, email_ct, phone_ct, government_id_ct, email_index, department, updated_at)
    ON personnel TO ${app_user};
