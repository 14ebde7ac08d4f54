-- Baton's foundation: agencies, users, tokens, workflows, plans, tasks, append-only events,
-- the outbox, idempotency records, and the one clock deadlines are judged by.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The database's clock is the only clock. Tests and `baton clock` may fix or shift it.
CREATE TABLE clock (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    fixed_at  timestamptz,
    offset_by interval NOT NULL DEFAULT interval '0'
);
INSERT INTO clock DEFAULT VALUES;

CREATE FUNCTION baton_now() RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT coalesce(fixed_at, now() + offset_by) FROM clock $$;

-- Time-ordered UUIDs (version 7): keyset pagination by id follows creation order.
CREATE FUNCTION baton_uuid7() RETURNS uuid
LANGUAGE sql VOLATILE AS
$$ SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
          placing substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
          FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid $$;

-- Text folded for search: NFC, no diacritics (đ → d), lower case, words separated by one
-- space, with a space at both ends so ' word' finds a word that starts with it.
CREATE FUNCTION baton_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT ' ' || btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, normalize(t, NFC))),
                                     '[^[:alnum:]]+', ' ', 'g')) || ' ' $$;

CREATE TABLE agencies (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 500),
    kind        text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,63}$'),
    parent_id   bigint REFERENCES agencies (id),
    -- Ancestors from the root, then the agency itself: subtree queries use `path @> ARRAY[id]`.
    path        bigint[] NOT NULL DEFAULT '{}',
    active      boolean NOT NULL DEFAULT true,
    merged_into bigint REFERENCES agencies (id),
    name_folded text GENERATED ALWAYS AS (baton_fold(name)) STORED,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX agencies_path ON agencies USING gin (path);
CREATE INDEX agencies_parent ON agencies (parent_id);
CREATE INDEX agencies_kind ON agencies (kind, id);
CREATE INDEX agencies_name_search ON agencies USING gin (name_folded gin_trgm_ops);

CREATE FUNCTION agencies_set_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_id IS NULL THEN
        NEW.path := ARRAY[NEW.id];
    ELSE
        SELECT path || NEW.id INTO NEW.path FROM agencies WHERE id = NEW.parent_id;
        IF NEW.id = ANY (NEW.path[1:cardinality(NEW.path) - 1]) THEN
            RAISE EXCEPTION 'agency % cannot be placed under its own descendant', NEW.code USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER agencies_path BEFORE INSERT OR UPDATE OF parent_id ON agencies
    FOR EACH ROW EXECUTE FUNCTION agencies_set_path();

CREATE TABLE users (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login      text NOT NULL CHECK (login ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    agency_id  bigint REFERENCES agencies (id),
    roles      text[] NOT NULL CHECK (cardinality(roles) > 0
                   AND roles <@ ARRAY['admin', 'committee', 'coordinator', 'officer', 'viewer']),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (agency_id IS NOT NULL OR roles = ARRAY['admin'])
);
CREATE UNIQUE INDEX users_login ON users (lower(login));
CREATE INDEX users_agency ON users (agency_id);

-- Bearer tokens: shown once, stored as SHA-256. `prefix` (the first 12 characters) lets an
-- admin revoke a token by a prefix of it.
CREATE TABLE tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    prefix     text NOT NULL,
    hash       bytea NOT NULL UNIQUE,
    label      text,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
CREATE INDEX tokens_prefix ON tokens (prefix text_pattern_ops);
CREATE INDEX tokens_user ON tokens (user_id);

-- Workflow definitions as loaded: a new version whenever the content changes.
-- A task stays pinned to the version it started with.
CREATE TABLE workflows (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name      text NOT NULL,
    version   integer NOT NULL CHECK (version > 0),
    hash      text NOT NULL,
    source    text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name, version),
    UNIQUE (name, hash)
);

-- Working calendars as loaded (workflows/calendars/*.yaml); plans name theirs.
CREATE TABLE calendars (
    name      text PRIMARY KEY,
    hash      text NOT NULL,
    source    text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE plans (
    id            uuid PRIMARY KEY DEFAULT baton_uuid7(),
    number        text NOT NULL UNIQUE,
    title         text NOT NULL,
    description   text,
    basis         text,
    issued_on     date NOT NULL,
    issuer_id     bigint NOT NULL REFERENCES agencies (id),
    monitor_id    bigint REFERENCES agencies (id),
    basis_task_id uuid,
    time_zone     text NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
    calendar      text NOT NULL DEFAULT 'vn',
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    bigint REFERENCES users (id)
);
CREATE INDEX plans_issuer ON plans (issuer_id);
CREATE INDEX plans_monitor ON plans (monitor_id);

-- Measurable targets (chỉ tiêu) a plan declares.
CREATE TABLE plan_indicators (
    plan_id     uuid NOT NULL REFERENCES plans (id),
    key         text NOT NULL,
    position    smallint NOT NULL,
    name        text NOT NULL,
    unit        text NOT NULL CHECK (unit IN ('percent', 'count')),
    direction   text NOT NULL CHECK (direction IN ('at_least', 'at_most', 'reduce_by')),
    target      double precision NOT NULL,
    baseline    double precision,
    reported_by jsonb,
    PRIMARY KEY (plan_id, key)
);

CREATE TABLE tasks (
    id              uuid PRIMARY KEY DEFAULT baton_uuid7(),
    plan_id         uuid NOT NULL REFERENCES plans (id),
    parent_id       uuid REFERENCES tasks (id),
    key             text,
    title           text NOT NULL,
    description     text,
    workflow_id     bigint NOT NULL REFERENCES workflows (id),
    state           text NOT NULL,
    -- Not in a final state of its workflow; written with the state.
    open            boolean NOT NULL DEFAULT true,
    lead_id         bigint REFERENCES agencies (id),
    fanout          jsonb,
    recurrence      jsonb,
    -- A leaf is real work for one agency; a fan-out or recurring parent only groups its children.
    leaf            boolean GENERATED ALWAYS AS (fanout IS NULL AND recurrence IS NULL) STORED,
    due             jsonb,
    due_at          timestamptz,
    original_due_at timestamptz,
    acknowledged_at timestamptz,
    closed_at       timestamptz,
    on_time         boolean,
    pending         jsonb NOT NULL DEFAULT '{}',
    version         integer NOT NULL DEFAULT 1,
    seq             integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL,
    created_by      bigint REFERENCES users (id),
    updated_at      timestamptz NOT NULL,
    CHECK (lead_id IS NOT NULL OR fanout IS NOT NULL OR recurrence IS NOT NULL)
);
CREATE UNIQUE INDEX tasks_plan_key ON tasks (plan_id, key) WHERE parent_id IS NULL AND key IS NOT NULL;
CREATE INDEX tasks_plan ON tasks (plan_id, id);
CREATE INDEX tasks_lead ON tasks (lead_id, id);
CREATE INDEX tasks_parent ON tasks (parent_id, id);
CREATE INDEX tasks_open_due ON tasks (due_at) WHERE open AND leaf;
CREATE INDEX tasks_lead_open_due ON tasks (lead_id, due_at) WHERE open AND leaf;

ALTER TABLE plans ADD FOREIGN KEY (basis_task_id) REFERENCES tasks (id);

CREATE TABLE task_cooperators (
    task_id         uuid NOT NULL REFERENCES tasks (id),
    agency_id       bigint NOT NULL REFERENCES agencies (id),
    position        smallint NOT NULL,
    -- A cooperating agency may owe its part before the lead's due time.
    due_at          timestamptz,
    acknowledged_at timestamptz,
    PRIMARY KEY (task_id, agency_id)
);
CREATE INDEX task_cooperators_agency ON task_cooperators (agency_id, task_id);

-- History: append-only. The database itself refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE task_events (
    task_id    uuid NOT NULL REFERENCES tasks (id),
    seq        integer NOT NULL,
    at         timestamptz NOT NULL,
    actor_id   bigint REFERENCES users (id),
    actor      text NOT NULL,
    agency_id  bigint REFERENCES agencies (id),
    name       text NOT NULL,
    from_state text,
    to_state   text,
    note       text,
    params     jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (task_id, seq)
);

CREATE FUNCTION baton_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER task_events_append_only BEFORE UPDATE OR DELETE ON task_events
    FOR EACH ROW EXECUTE FUNCTION baton_append_only();
CREATE TRIGGER task_events_no_truncate BEFORE TRUNCATE ON task_events
    FOR EACH STATEMENT EXECUTE FUNCTION baton_append_only();

-- One row per event, written in the event's transaction, for delivery after it commits.
CREATE TABLE outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id    uuid NOT NULL,
    event_seq  integer NOT NULL,
    topic      text NOT NULL,
    payload    jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_task ON outbox (task_id, event_seq);

-- Idempotency-Key records: a repeat of the same request returns the first response.
CREATE TABLE idempotency_keys (
    user_id      bigint NOT NULL REFERENCES users (id),
    key          text NOT NULL,
    request_hash text NOT NULL,
    status       integer,
    headers      jsonb,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
