-- Counts kept by the transaction that changes a task, for the coordinators' aggregate reads (the board and the
-- statistics of everything, issue #12): at 1M tasks, counting every task at request time took 1.7 s for the
-- national board and 1.8 s for a year's statistics, and grew with every task ever created.
--
-- What a task counts as is one rule, the tally functions below: each leaf task ('task' kind) and each of its
-- cooperating parts becomes a few tally rows (agency, measure, at, day). The triggers keep the counts by adding
-- the difference between a row's tally before and after a change (slot by slot), so every path — transitions, fan-out, merges,
-- cascades, deletes, imports — is covered in one place, and a change to a column no tally reads (the timer
-- sweep's seq, an event, a version) fires nothing (the triggers' WHEN clauses).
--
-- Nothing that depends on the clock is stored: a tally row that a clock comparison needs carries the exact
-- instant (`at`: the due time in force, the limit to acknowledge, a cooperating part's due time), and the read
-- compares it with baton_now(). "Overdue" is sum(n) over the rows with at <= now: exact for any clock, with no
-- recount.
--
-- Writers never update a shared row: they only append to task_count_changes (no index, no lock on anything
-- another writer holds), which the timer loop folds into board_counts (rows without a day: per agency, for
-- the board) and stats_counts (rows with the local due day in the plan's zone, for the statistics). Reads add
-- the unfolded changes to the folded totals.
--
-- Measures (the board's columns and the statistics' buckets read them; BoardColumn and StatsColumn say which):
--   board, day NULL:   O open (at = due_at)            U open, not acknowledged (at = ack_due_at)
--                      D open with a difficulty         B<closed c|-><on_time t|f|-> closed, or judged on time or late
--                      C a cooperating part owed on an open task (at = its due time)
--   statistics, day:   L<open o|-><closed c|-><on_time t|f|-><due d|n> a task open or closed, on its due day (or,
--                      without a deadline, the day it was made); at = due_at while open
--                      S<task o|c><contributed -|t|f> a cooperating part of a task open or closed, on its due day;
--                      at = its due time while owed on an open task

-- The state of the task a cooperating part belongs to, as the part's tally needs it: n (not counted: a parent or
-- an incident), o open, c closed, x neither (cancelled).
CREATE FUNCTION baton_tally_state(t tasks) RETURNS "char" LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN NOT (t.leaf AND t.kind = 'task') THEN 'n' WHEN t.open THEN 'o'
                WHEN t.closed_at IS NOT NULL THEN 'c' ELSE 'x' END::"char"
$$;

-- The day a due time counts on: the local date, in `zone`, of the last moment before it (ReportPeriod.dueDay).
CREATE FUNCTION baton_due_day(at timestamptz, zone text) RETURNS date LANGUAGE sql IMMUTABLE AS $$
    SELECT ((at - interval '1 microsecond') AT TIME ZONE zone)::date
$$;

-- A tally row, and a task's (or part's) tally as a fixed array of slots, one per measure family, NULL where it does
-- not count: so a trigger compares a row's slots before and after a change one by one, without a query.
CREATE TYPE baton_tally AS (agency_id bigint, measure text, at timestamptz, day date);

-- A task's own tally (its lead agency's), in its plan's zone: O, U, D, B, L.
CREATE FUNCTION baton_lead_slots(t tasks, zone text) RETURNS baton_tally[] LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN t.leaf AND t.kind = 'task' THEN ARRAY[
        CASE WHEN t.open THEN ROW(t.lead_id, 'O', t.due_at, NULL)::baton_tally END,
        CASE WHEN t.open AND t.acknowledged_at IS NULL THEN ROW(t.lead_id, 'U', t.ack_due_at, NULL)::baton_tally END,
        CASE WHEN t.open AND t.pending ? 'difficulty' THEN ROW(t.lead_id, 'D', NULL, NULL)::baton_tally END,
        CASE WHEN t.closed_at IS NOT NULL OR t.on_time IS NOT NULL
             THEN ROW(t.lead_id, 'B' || CASE WHEN t.closed_at IS NULL THEN '-' ELSE 'c' END
                                     || CASE t.on_time WHEN true THEN 't' WHEN false THEN 'f' ELSE '-' END,
                      NULL, NULL)::baton_tally END,
        CASE WHEN t.open OR t.closed_at IS NOT NULL
             THEN ROW(t.lead_id, 'L' || CASE WHEN t.open THEN 'o' ELSE '-' END || CASE WHEN t.closed_at IS NULL THEN '-' ELSE 'c' END
                                     || CASE t.on_time WHEN true THEN 't' WHEN false THEN 'f' ELSE '-' END
                                     || CASE WHEN t.due_at IS NULL THEN 'n' ELSE 'd' END,
                      CASE WHEN t.open THEN t.due_at END,
                      CASE WHEN t.due_at IS NULL THEN (t.created_at AT TIME ZONE zone)::date ELSE baton_due_day(t.due_at, zone) END
                     )::baton_tally END
    ] ELSE '{NULL,NULL,NULL,NULL,NULL}'::baton_tally[] END
$$;

-- A cooperating part's tally (the cooperating agency's), from the state and due time of its task: C, S.
CREATE FUNCTION baton_coop_slots(agency bigint, due_at timestamptz, contributed_at timestamptz,
                                 task_state "char", task_due_at timestamptz, zone text)
RETURNS baton_tally[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[
        CASE WHEN task_state = 'o' AND contributed_at IS NULL
             THEN ROW(agency, 'C', coalesce(due_at, task_due_at), NULL)::baton_tally END,
        CASE WHEN task_state IN ('o', 'c') AND coalesce(due_at, task_due_at) IS NOT NULL
             THEN ROW(agency, 'S' || task_state::text
                              || CASE WHEN contributed_at IS NULL THEN '-'
                                      WHEN contributed_at < coalesce(due_at, task_due_at) THEN 't' ELSE 'f' END,
                      CASE WHEN task_state = 'o' AND contributed_at IS NULL THEN coalesce(due_at, task_due_at) END,
                      baton_due_day(coalesce(due_at, task_due_at), zone))::baton_tally END
    ]
$$;

-- The same as rows.
CREATE FUNCTION baton_lead_tally(t tasks, zone text)
RETURNS TABLE (agency_id bigint, measure text, at timestamptz, day date) LANGUAGE sql IMMUTABLE AS $$
    SELECT s.agency_id, s.measure, s.at, s.day FROM unnest(baton_lead_slots(t, zone)) s WHERE s.measure IS NOT NULL
$$;
CREATE FUNCTION baton_coop_tally(agency bigint, due_at timestamptz, contributed_at timestamptz,
                                 task_state "char", task_due_at timestamptz, zone text)
RETURNS TABLE (agency_id bigint, measure text, at timestamptz, day date) LANGUAGE sql IMMUTABLE AS $$
    SELECT s.agency_id, s.measure, s.at, s.day
    FROM unnest(baton_coop_slots(agency, due_at, contributed_at, task_state, task_due_at, zone)) s WHERE s.measure IS NOT NULL
$$;

-- Appends the difference between two tallies of the same row, slot by slot, to the changes (for deletes; the
-- update triggers, which run on every counted change, do the same inline: a nested call costs as much again).
CREATE FUNCTION baton_count_change(before baton_tally[], after baton_tally[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1 .. greatest(cardinality(before), cardinality(after)) LOOP
        IF before[i] IS DISTINCT FROM after[i] THEN
            IF (before[i]).measure IS NOT NULL THEN
                INSERT INTO task_count_changes VALUES ((before[i]).agency_id, (before[i]).measure, (before[i]).at, (before[i]).day, -1);
            END IF;
            IF (after[i]).measure IS NOT NULL THEN
                INSERT INTO task_count_changes VALUES ((after[i]).agency_id, (after[i]).measure, (after[i]).at, (after[i]).day, 1);
            END IF;
        END IF;
    END LOOP;
END $$;

-- Every tally row, recounted from the tasks and parts as they are: what the kept counts must always add up to
-- (the backfill below, and the tests' recount).
CREATE VIEW task_tally AS
    SELECT x.agency_id, x.measure, x.at, x.day
    FROM tasks t JOIN plans p ON p.id = t.plan_id CROSS JOIN LATERAL baton_lead_tally(t, p.time_zone) x
    UNION ALL
    SELECT x.agency_id, x.measure, x.at, x.day
    FROM task_cooperators c JOIN tasks t ON t.id = c.task_id JOIN plans p ON p.id = t.plan_id
    CROSS JOIN LATERAL baton_coop_tally(c.agency_id, c.due_at, c.contributed_at, baton_tally_state(t), t.due_at, p.time_zone) x;

-- Appended by the triggers, folded by the timer loop: no index, so an append never waits on another writer.
CREATE TABLE task_count_changes (
    agency_id bigint NOT NULL,
    measure   text NOT NULL,
    at        timestamptz,
    day       date,
    n         integer NOT NULL
);
CREATE TABLE board_counts (
    agency_id bigint NOT NULL,
    measure   text NOT NULL,
    at        timestamptz,
    n         integer NOT NULL,
    UNIQUE NULLS NOT DISTINCT (agency_id, measure, at)
);
CREATE TABLE stats_counts (
    day       date NOT NULL,
    agency_id bigint NOT NULL,
    measure   text NOT NULL,
    at        timestamptz,
    n         integer NOT NULL,
    UNIQUE NULLS NOT DISTINCT (day, agency_id, measure, at)
);

-- A cooperating part's tally reads its task's state and due time from these two columns, which the task's
-- trigger keeps: so a statement that changes a task and its parts together (a contribution that closes the
-- task) counts each change exactly once. Written only by the triggers; NULL until the part's insert is counted.
ALTER TABLE task_cooperators ADD COLUMN task_state "char", ADD COLUMN task_due_at timestamptz;

-- Folds the appended changes into the totals, dropping totals that reached zero. The timer loop runs it
-- under the sweep's lock; two at once would still count each change once (a change row is deleted once).
CREATE FUNCTION baton_fold_counts() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM task_count_changes) THEN RETURN; END IF;
    WITH d AS (DELETE FROM task_count_changes RETURNING *),
    b AS (
        INSERT INTO board_counts (agency_id, measure, at, n)
        SELECT agency_id, measure, at, sum(n) FROM d WHERE day IS NULL GROUP BY 1, 2, 3
        ON CONFLICT (agency_id, measure, at) DO UPDATE SET n = board_counts.n + excluded.n
    )
    INSERT INTO stats_counts (day, agency_id, measure, at, n)
    SELECT day, agency_id, measure, at, sum(n) FROM d WHERE day IS NOT NULL GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, agency_id, measure, at) DO UPDATE SET n = stats_counts.n + excluded.n;
    DELETE FROM board_counts WHERE n = 0;
    DELETE FROM stats_counts WHERE n = 0;
END $$;

-- The triggers. Inserts are counted a statement at a time (a fan-out to 50,000 agencies is one grouped insert);
-- updates and deletes a row at a time, updates only when a column a tally reads has changed. (Deletes are rare,
-- but every transition runs an empty DELETE of a cooperating part: a statement-level trigger would run for it.)
CREATE FUNCTION baton_count_tasks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_count_changes (agency_id, measure, at, day, n)
    SELECT x.agency_id, x.measure, x.at, x.day, count(*)
    FROM inserted t JOIN plans p ON p.id = t.plan_id CROSS JOIN LATERAL baton_lead_tally(t, p.time_zone) x
    GROUP BY 1, 2, 3, 4;
    RETURN NULL;
END $$;

CREATE FUNCTION baton_count_task_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM baton_count_change(baton_lead_slots(OLD, (SELECT time_zone FROM plans WHERE id = OLD.plan_id)), '{}');
    RETURN NULL;
END $$;

CREATE FUNCTION baton_count_task_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- The plan's zone only matters to the statistics' slot (5), whose day it sets: read it only when that slot
    -- or what its day is made of changes (an acknowledgement reads no plan).
    o baton_tally[] := baton_lead_slots(OLD, 'UTC');
    n baton_tally[] := baton_lead_slots(NEW, 'UTC');
BEGIN
    IF o[5] IS DISTINCT FROM n[5] OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.created_at <> NEW.created_at
       OR OLD.plan_id <> NEW.plan_id THEN
        o := baton_lead_slots(OLD, (SELECT time_zone FROM plans WHERE id = OLD.plan_id));
        n := baton_lead_slots(NEW, (SELECT time_zone FROM plans WHERE id = NEW.plan_id));
    END IF;
    FOR i IN 1 .. 5 LOOP
        IF o[i] IS DISTINCT FROM n[i] THEN
            IF (o[i]).measure IS NOT NULL THEN
                INSERT INTO task_count_changes VALUES ((o[i]).agency_id, (o[i]).measure, (o[i]).at, (o[i]).day, -1);
            END IF;
            IF (n[i]).measure IS NOT NULL THEN
                INSERT INTO task_count_changes VALUES ((n[i]).agency_id, (n[i]).measure, (n[i]).at, (n[i]).day, 1);
            END IF;
        END IF;
    END LOOP;
    IF baton_tally_state(OLD) IS DISTINCT FROM baton_tally_state(NEW) OR OLD.due_at IS DISTINCT FROM NEW.due_at
       OR OLD.plan_id IS DISTINCT FROM NEW.plan_id THEN
        -- Counted again by the parts' own trigger.
        UPDATE task_cooperators SET task_state = baton_tally_state(NEW), task_due_at = NEW.due_at
        WHERE task_id = NEW.id AND task_state IS NOT NULL;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION baton_count_parts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The part's task may have been written by the same statement: it is visible now, after it.
    UPDATE task_cooperators c SET task_state = baton_tally_state(t), task_due_at = t.due_at
    FROM inserted i JOIN tasks t ON t.id = i.task_id
    WHERE c.task_id = i.task_id AND c.agency_id = i.agency_id;
    INSERT INTO task_count_changes (agency_id, measure, at, day, n)
    SELECT x.agency_id, x.measure, x.at, x.day, count(*)
    FROM inserted i JOIN tasks t ON t.id = i.task_id JOIN plans p ON p.id = t.plan_id
    CROSS JOIN LATERAL baton_coop_tally(i.agency_id, i.due_at, i.contributed_at, baton_tally_state(t), t.due_at, p.time_zone) x
    GROUP BY 1, 2, 3, 4;
    RETURN NULL;
END $$;

CREATE FUNCTION baton_count_part_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM baton_count_change(
        baton_coop_slots(OLD.agency_id, OLD.due_at, OLD.contributed_at, OLD.task_state, OLD.task_due_at,
                         (SELECT p.time_zone FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.id = OLD.task_id)),
        '{}');
    RETURN NULL;
END $$;

CREATE FUNCTION baton_count_part_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_zone text := (SELECT p.time_zone FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.id = OLD.task_id);
    new_zone text := CASE WHEN NEW.task_id = OLD.task_id THEN old_zone
                          ELSE (SELECT p.time_zone FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.id = NEW.task_id) END;
    o baton_tally[] := baton_coop_slots(OLD.agency_id, OLD.due_at, OLD.contributed_at, OLD.task_state, OLD.task_due_at, old_zone);
    n baton_tally[] := baton_coop_slots(NEW.agency_id, NEW.due_at, NEW.contributed_at, NEW.task_state, NEW.task_due_at, new_zone);
BEGIN
    FOR i IN 1 .. 2 LOOP
        IF o[i] IS DISTINCT FROM n[i] THEN
            IF (o[i]).measure IS NOT NULL THEN
                INSERT INTO task_count_changes VALUES ((o[i]).agency_id, (o[i]).measure, (o[i]).at, (o[i]).day, -1);
            END IF;
            IF (n[i]).measure IS NOT NULL THEN
                INSERT INTO task_count_changes VALUES ((n[i]).agency_id, (n[i]).measure, (n[i]).at, (n[i]).day, 1);
            END IF;
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER tasks_count_inserted AFTER INSERT ON tasks
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION baton_count_tasks_inserted();
CREATE TRIGGER tasks_count_deleted AFTER DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION baton_count_task_deleted();
-- An acknowledgement (or its undoing) and nothing else a tally reads: only the U slot can change, and the busiest
-- write of all gets a trigger that appends that one row. Measured with pgbench on Baton's acknowledge SQL (32
-- connections): computing the slots of two whole task rows in PL/pgSQL cost about 20% of the transactions a
-- second; an empty trigger costs about 3%. The condition is written twice, here and negated below, so each
-- update runs exactly one of the two.
CREATE FUNCTION baton_count_acknowledged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Slot U of baton_lead_slots: an open task not acknowledged, at its limit to acknowledge.
    INSERT INTO task_count_changes VALUES (NEW.lead_id, 'U', NEW.ack_due_at, NULL, CASE WHEN NEW.acknowledged_at IS NULL THEN 1 ELSE -1 END);
    RETURN NULL;
END $$;
CREATE TRIGGER tasks_count_acknowledged AFTER UPDATE ON tasks FOR EACH ROW
    WHEN (NEW.open AND NEW.leaf AND NEW.kind = 'task'
          AND (OLD.acknowledged_at IS NULL) <> (NEW.acknowledged_at IS NULL) AND OLD.open = NEW.open
               AND OLD.lead_id IS NOT DISTINCT FROM NEW.lead_id AND OLD.due_at IS NOT DISTINCT FROM NEW.due_at
               AND OLD.ack_due_at IS NOT DISTINCT FROM NEW.ack_due_at AND (OLD.closed_at IS NULL) = (NEW.closed_at IS NULL)
               AND OLD.on_time IS NOT DISTINCT FROM NEW.on_time AND (OLD.pending ? 'difficulty') = (NEW.pending ? 'difficulty')
               AND OLD.leaf = NEW.leaf AND OLD.kind = NEW.kind AND OLD.plan_id = NEW.plan_id AND OLD.created_at = NEW.created_at)
    EXECUTE FUNCTION baton_count_acknowledged();
CREATE TRIGGER tasks_count_updated AFTER UPDATE ON tasks FOR EACH ROW
    WHEN ((OLD.open IS DISTINCT FROM NEW.open OR OLD.lead_id IS DISTINCT FROM NEW.lead_id
           OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.ack_due_at IS DISTINCT FROM NEW.ack_due_at
           OR (OLD.acknowledged_at IS NULL) <> (NEW.acknowledged_at IS NULL)
           OR (OLD.closed_at IS NULL) <> (NEW.closed_at IS NULL) OR OLD.on_time IS DISTINCT FROM NEW.on_time
           OR (OLD.pending ? 'difficulty') <> (NEW.pending ? 'difficulty')
           OR OLD.leaf IS DISTINCT FROM NEW.leaf OR OLD.kind IS DISTINCT FROM NEW.kind
           OR OLD.plan_id IS DISTINCT FROM NEW.plan_id OR OLD.created_at IS DISTINCT FROM NEW.created_at)
          AND NOT ((OLD.acknowledged_at IS NULL) <> (NEW.acknowledged_at IS NULL) AND OLD.open = NEW.open
               AND OLD.lead_id IS NOT DISTINCT FROM NEW.lead_id AND OLD.due_at IS NOT DISTINCT FROM NEW.due_at
               AND OLD.ack_due_at IS NOT DISTINCT FROM NEW.ack_due_at AND (OLD.closed_at IS NULL) = (NEW.closed_at IS NULL)
               AND OLD.on_time IS NOT DISTINCT FROM NEW.on_time AND (OLD.pending ? 'difficulty') = (NEW.pending ? 'difficulty')
               AND OLD.leaf = NEW.leaf AND OLD.kind = NEW.kind AND OLD.plan_id = NEW.plan_id AND OLD.created_at = NEW.created_at))
    EXECUTE FUNCTION baton_count_task_updated();
CREATE TRIGGER parts_count_inserted AFTER INSERT ON task_cooperators
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION baton_count_parts_inserted();
CREATE TRIGGER parts_count_deleted AFTER DELETE ON task_cooperators FOR EACH ROW
    WHEN (OLD.task_state IS NOT NULL) EXECUTE FUNCTION baton_count_part_deleted();
CREATE TRIGGER parts_count_updated AFTER UPDATE ON task_cooperators FOR EACH ROW
    WHEN (OLD.task_state IS NOT NULL
          AND (OLD.agency_id IS DISTINCT FROM NEW.agency_id OR OLD.task_id IS DISTINCT FROM NEW.task_id
               OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.contributed_at IS DISTINCT FROM NEW.contributed_at
               OR OLD.task_state IS DISTINCT FROM NEW.task_state OR OLD.task_due_at IS DISTINCT FROM NEW.task_due_at))
    EXECUTE FUNCTION baton_count_part_updated();

-- What is there already, counted once, set-based.
UPDATE task_cooperators c SET task_state = baton_tally_state(t), task_due_at = t.due_at FROM tasks t WHERE t.id = c.task_id;
WITH x AS MATERIALIZED (SELECT agency_id, measure, at, day, count(*) AS n FROM task_tally GROUP BY 1, 2, 3, 4),
b AS (INSERT INTO board_counts (agency_id, measure, at, n) SELECT agency_id, measure, at, n FROM x WHERE day IS NULL)
INSERT INTO stats_counts (day, agency_id, measure, at, n) SELECT day, agency_id, measure, at, n FROM x WHERE day IS NOT NULL;
