-- The audit log: one hash chain per workspace (docs/audit-log.md). The service role may only INSERT and
-- SELECT, and triggers refuse UPDATE, DELETE and TRUNCATE from every role, owner included: a change to the
-- log takes disabling a trigger, which is itself visible, and the chain and signed checkpoints expose it.

CREATE TABLE audit_entry (
    workspace_id    text        NOT NULL,
    seq             bigint      NOT NULL CHECK (seq >= 1),      -- position in the workspace's chain, no gaps
    event_id        text        NOT NULL UNIQUE,                -- CloudEvents id: a redelivery is ignored
    occurred_at     timestamptz NOT NULL,                       -- at the producer, microseconds
    received_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    source          text        NOT NULL,
    action          text        NOT NULL,
    actor_type      text        NOT NULL,
    actor_subject   text        NOT NULL,
    target_type     text        NOT NULL,
    target_id       text        NOT NULL,
    outcome         text        NOT NULL,
    request_id      text,
    source_address  text,
    details         jsonb       NOT NULL DEFAULT '{}',
    prev_hash       bytea       NOT NULL CHECK (octet_length(prev_hash) = 32),
    entry_hash      bytea       NOT NULL CHECK (octet_length(entry_hash) = 32),
    PRIMARY KEY (workspace_id, seq)
);

CREATE INDEX audit_entry_time_idx ON audit_entry (workspace_id, occurred_at);
CREATE INDEX audit_entry_actor_idx ON audit_entry (workspace_id, actor_subject, seq);
CREATE INDEX audit_entry_action_idx ON audit_entry (workspace_id, action, seq);
CREATE INDEX audit_entry_target_idx ON audit_entry (workspace_id, target_type, target_id, seq);

-- Ed25519-signed statements of a chain head (docs/audit-log.md).
CREATE TABLE audit_checkpoint (
    workspace_id    text        NOT NULL,
    seq             bigint      NOT NULL,
    entry_hash      bytea       NOT NULL CHECK (octet_length(entry_hash) = 32),
    signed_at       timestamptz NOT NULL,
    key_id          text        NOT NULL,
    public_key      bytea       NOT NULL,
    signature       bytea       NOT NULL,
    PRIMARY KEY (workspace_id, seq)
);

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

GRANT SELECT, INSERT ON audit_entry, audit_checkpoint TO ${app_user};
