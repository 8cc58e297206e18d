-- Access tokens the gateway has already seen, so that the first request of each new token is audited as a
-- sign-in (user.login) exactly once. Only a SHA-256 digest of the token is kept, never the token.
CREATE TABLE sign_in (
    token_digest   text        PRIMARY KEY,
    subject        text        NOT NULL,
    issuer         text        NOT NULL,
    first_seen_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at     timestamptz NOT NULL
);

CREATE INDEX sign_in_expires_idx ON sign_in (expires_at);

GRANT SELECT, INSERT, DELETE ON sign_in TO ${app_user};
