-- A deleted workspace's chain is sealed (docs/deletion.md): its last entry is workspace.deleted, and no event is
-- appended after it (a late one goes to the platform log as audit.event-after-seal). A seal is never lifted: like
-- the log itself, the table is append-only for every role.
CREATE TABLE audit_seal (
    workspace_id    text        PRIMARY KEY,
    seq             bigint      NOT NULL CHECK (seq >= 1),      -- the workspace.deleted entry
    sealed_at       timestamptz NOT NULL
);

CREATE TRIGGER audit_seal_append_only BEFORE UPDATE OR DELETE ON audit_seal
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_seal_no_truncate BEFORE TRUNCATE ON audit_seal
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

GRANT SELECT, INSERT ON audit_seal TO ${app_user};
