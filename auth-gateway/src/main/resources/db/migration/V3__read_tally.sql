-- Reads of a workspace's lists and metadata, counted per actor, resource, client address and window (a minute by
-- default), until the window has closed and its count goes out as one `resource.read` audit event. A read is
-- counted here before its answer is relayed, so a crash loses no read: a count that is not yet an event is still
-- a row. The rows of a closed window are turned into events and deleted in one transaction.
CREATE TABLE read_tally (
    workspace_id      uuid        NOT NULL,
    subject           text        NOT NULL,                 -- the user, as their token's subject
    resource          text        NOT NULL,                 -- the routed resource, e.g. evidence, personnel
    source_address    text        NOT NULL,                 -- the client, as the trusted proxies tell it
    window_start      timestamptz NOT NULL,
    reads             integer     NOT NULL CHECK (reads >= 1),
    first_request_id  text        NOT NULL,                 -- the first read's request id, to find it in the logs
    PRIMARY KEY (workspace_id, subject, resource, source_address, window_start)
);

CREATE INDEX read_tally_window_idx ON read_tally (window_start);

GRANT SELECT, INSERT, UPDATE, DELETE ON read_tally TO ${app_user};
