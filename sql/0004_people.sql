-- People at the pages: a password per user (bcrypt, never in clear), sign-in sessions stored
-- here (the cookie holds a random value whose SHA-256 is kept, like bearer tokens), and the
-- failed sign-ins that slow and then stop guessing, per login and per client address.

ALTER TABLE users ADD COLUMN password_hash text CHECK (password_hash IS NULL OR password_hash LIKE '$2%');
ALTER TABLE users ADD COLUMN password_set_at timestamptz;

CREATE TABLE sessions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash       bytea NOT NULL UNIQUE,
    user_id    bigint NOT NULL REFERENCES users (id),
    -- The form token every POST of this session must carry.
    csrf       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    seen_at    timestamptz NOT NULL DEFAULT now(),
    -- A session ends when idle this long, and in any case at `ends_at`.
    idle_limit interval NOT NULL,
    ends_at    timestamptz NOT NULL,
    ended_at   timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE signin_failures (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login   text NOT NULL,
    address text NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signin_failures_login ON signin_failures (lower(login), at);
CREATE INDEX signin_failures_address ON signin_failures (address, at);
