-- Every audit event, stored once. The service role may only INSERT and SELECT: nothing here is ever updated
-- or deleted by the service.
CREATE TABLE audit_event (
    event_id        text        PRIMARY KEY,      -- CloudEvents id: a redelivery is ignored
    workspace_id    text        NOT NULL,
    occurred_at     timestamptz NOT NULL,         -- CloudEvents time, at the producer
    received_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    source          text        NOT NULL,         -- the producing service
    action          text        NOT NULL,         -- CloudEvents type, e.g. user.login
    actor_type      text        NOT NULL,
    actor_subject   text        NOT NULL,
    target_type     text        NOT NULL,
    target_id       text        NOT NULL,
    outcome         text        NOT NULL,
    request_id      text,
    source_address  text,
    details         jsonb       NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_event_workspace_time_idx ON audit_event (workspace_id, occurred_at, event_id);
CREATE INDEX audit_event_actor_idx ON audit_event (workspace_id, actor_subject, occurred_at);

GRANT SELECT, INSERT ON audit_event TO ${app_user};
