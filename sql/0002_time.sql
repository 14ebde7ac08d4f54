-- Time, the way Vietnamese plans count it: acknowledgement limits, timers that fire once,
-- recurring occurrences, notification inboxes and webhook deliveries.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- Each agency has a limit to acknowledge (the workflow's acknowledge_within working days).
ALTER TABLE tasks ADD COLUMN ack_due_at timestamptz;
ALTER TABLE tasks ADD COLUMN acknowledged_late boolean;
ALTER TABLE task_cooperators ADD COLUMN acknowledged_late boolean;
CREATE INDEX tasks_lead_unacknowledged ON tasks (lead_id, ack_due_at) WHERE open AND leaf AND acknowledged_at IS NULL;

-- One occurrence per recurring parent, agency and due time: opening it twice is impossible.
CREATE UNIQUE INDEX tasks_occurrence ON tasks (parent_id, lead_id, due_at)
    WHERE parent_id IS NOT NULL AND due_at IS NOT NULL AND leaf;

-- Timers as data: written with the task (and again when its due time changes), fired once.
-- A timer belongs to the due time it was computed for; when an extension changes the due time,
-- the old timers no longer match and new ones are written.
CREATE TABLE task_timers (
    task_id  uuid NOT NULL REFERENCES tasks (id),
    kind     text NOT NULL CHECK (kind ~ '^(remind:[0-9]+|overdue|escalate)$'),
    due_at   timestamptz NOT NULL,
    fire_at  timestamptz NOT NULL,
    fired_at timestamptz,
    PRIMARY KEY (task_id, kind, due_at)
);
CREATE INDEX task_timers_pending ON task_timers (fire_at) WHERE fired_at IS NULL;

-- Each agency's inbox: what concerns it, written in the same transaction as the event.
CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id  bigint NOT NULL REFERENCES agencies (id),
    task_id    uuid NOT NULL REFERENCES tasks (id),
    event_seq  integer NOT NULL,
    kind       text NOT NULL,
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    read_by    bigint REFERENCES users (id)
);
CREATE INDEX notifications_inbox ON notifications (agency_id, id);
CREATE INDEX notifications_unread ON notifications (agency_id, id) WHERE read_at IS NULL;

-- Webhooks: an agency's URL that receives its notifications, signed with HMAC-SHA256.
CREATE TABLE webhooks (
    agency_id  bigint PRIMARY KEY REFERENCES agencies (id),
    url        text NOT NULL CHECK (url ~ '^https?://'),
    secret     text NOT NULL,
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Deliveries to webhooks: at least once, retried with backoff, dead-lettered after a bound.
-- Retries follow real time (now()), not the deadline clock a test may have fixed.
CREATE TABLE deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id bigint NOT NULL UNIQUE REFERENCES notifications (id),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    delivered_at    timestamptz,
    dead_at         timestamptz,
    last_error      text
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL;

-- The outbox (one row per event, written with it) is relayed to webhook deliveries after it
-- commits: the relay marks what it has read.
ALTER TABLE outbox ADD COLUMN relayed_at timestamptz;
CREATE INDEX outbox_unrelayed ON outbox (id) WHERE relayed_at IS NULL;
CREATE INDEX notifications_event ON notifications (task_id, event_seq);
