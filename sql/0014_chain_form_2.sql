-- The hash chain's second form: the same links (each event's hash covers its content and the task's
-- previous event's hash), over a message PostgreSQL builds at a third of the cost. The first form
-- (`baton_event_hash`, 0006) turned twelve fields into a JSON array, the time through `to_char` and the
-- previous hash through hex; in `make bench` the chain cost an acknowledgement 10–15%, over the 10%
-- it may cost. Events already written keep their first-form hash, and `hash_form` says which rule
-- made each one, so `baton audit verify` recomputes every event by its own rule.

ALTER TABLE task_events ADD COLUMN hash_form smallint NOT NULL DEFAULT 1;

-- The one rule for a second-form hash. The message is unambiguous whatever the fields hold: a form
-- byte; the previous event's hash (32 bytes, zeros for a task's first event); the time as PostgreSQL's
-- own 8-byte binary (microseconds, independent of the session's time zone and date style); then the
-- other fields as a row's text, whose quoting tells NULL from '' and keeps commas and quotes inside a
-- field (only integers, a uuid, text and jsonb, whose text forms no setting changes).
-- SQL and STABLE, so that PostgreSQL inlines it into the trigger's query, planned once a session.
CREATE FUNCTION baton_event_hash_2(prev bytea, task_id uuid, seq integer, at timestamptz, actor_id bigint, actor text,
                                   agency_id bigint, name text, from_state text, to_state text, note text, params jsonb)
RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sha256('\x02'::bytea
                  || coalesce(prev, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
                  || timestamptz_send(at)
                  || convert_to(ROW(task_id, seq, actor_id, actor, agency_id, name, from_state, to_state, note, params)::text, 'UTF8'))
$$;

-- Every new event is chained in the second form, in one query; what the application sends as `hash`
-- or `hash_form` is ignored. The query's plan is kept for the session, so it must not be a sequential
-- scan chosen while the history was small: a session that began with a few events and then wrote a
-- fan-out of 20,000 tasks in one statement rescanned every event for each new one (8 s; 300,000 ran for
-- over 12 minutes). With sequential scans off in the function the lookup is always the primary key's;
-- the setting costs nothing measurable per event (pgbench, 32 connections).
CREATE OR REPLACE FUNCTION baton_chain_event() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
    SELECT 2, baton_event_hash_2(
        (SELECT p.hash FROM task_events p WHERE p.task_id = NEW.task_id AND p.seq = NEW.seq - 1),
        NEW.task_id, NEW.seq, NEW.at, NEW.actor_id, NEW.actor, NEW.agency_id, NEW.name, NEW.from_state, NEW.to_state, NEW.note, NEW.params)
    INTO NEW.hash_form, NEW.hash;
    RETURN NEW;
END $$;
