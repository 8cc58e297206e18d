-- Workspaces (tenants), their members and roles, and auditor invitations.
CREATE TABLE workspace (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE membership (
    workspace_id       uuid        NOT NULL REFERENCES workspace (id),
    subject            text        NOT NULL,                     -- the member's OIDC subject
    role               text        NOT NULL CHECK (role IN ('OWNER', 'CONTRIBUTOR', 'VIEWER', 'AUDITOR')),
    access_expires_at  timestamptz,                              -- set for auditors: access ends then
    added_by           text        NOT NULL,
    added_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (workspace_id, subject)
);

CREATE INDEX membership_subject_idx ON membership (subject);

-- An invitation's token is shown once, to the Owner who creates it; only its SHA-256 digest is kept.
CREATE TABLE invitation (
    id                 uuid        PRIMARY KEY,
    workspace_id       uuid        NOT NULL REFERENCES workspace (id),
    email              text        NOT NULL,
    token_digest       text        NOT NULL UNIQUE,
    access_expires_at  timestamptz NOT NULL,                     -- the auditor's access ends then
    expires_at         timestamptz NOT NULL,                     -- the invitation itself can be accepted until then
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    accepted_at        timestamptz,
    accepted_by        text,
    CHECK (expires_at <= access_expires_at)
);

GRANT SELECT, INSERT ON workspace TO ${app_user};
GRANT SELECT, INSERT, UPDATE, DELETE ON membership TO ${app_user};
GRANT SELECT, INSERT, UPDATE ON invitation TO ${app_user};
