-- Transactional outbox (service kit). A service writes an event here in the same transaction as the change
-- it describes; the relay publishes it to Kafka and then deletes it. A crash between the two only means the
-- event is published again, and consumers de-duplicate on the event id.
CREATE TABLE outbox_message (
    id          uuid        PRIMARY KEY,          -- the CloudEvent id
    topic       text        NOT NULL,
    message_key text        NOT NULL,             -- the workspace id: keeps a workspace's events in order
    payload     text        NOT NULL,             -- the CloudEvent, structured JSON
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    attempts    integer     NOT NULL DEFAULT 0,
    last_error  text
);

CREATE INDEX outbox_message_pending_idx ON outbox_message (created_at, id);

GRANT SELECT, INSERT, UPDATE, DELETE ON outbox_message TO ${app_user};
