-- make bench-scale, the writes: a district police (its own codes per run, :run) with :tasks tasks to acknowledge
-- and :crossing open tasks all due at one instant a few minutes ahead, each with its timers as Baton writes
-- them after now (the overdue mark at the due time, the escalation five days later), as POST /v1/tasks would.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
-- Outside every province (its own root), so that a province's board is the province's.
INSERT INTO agencies (code, name, kind) SELECT 'UBND-W' || :run, 'Ủy ban nhân dân (bench ' || :run || ')', 'people_committee';
INSERT INTO agencies (code, name, kind, parent_id) SELECT 'BCD-W' || :run, 'Ban Chỉ đạo 138 (bench)', 'steering_committee', id FROM agencies WHERE code = 'UBND-W' || :run;
INSERT INTO agencies (code, name, kind, parent_id) SELECT 'CA-W' || :run, 'Công an (bench)', 'police', id FROM agencies WHERE code = 'UBND-W' || :run;
INSERT INTO users (login, agency_id, roles) SELECT 'w' || :run || '-ca', id, ARRAY['officer'] FROM agencies WHERE code = 'CA-W' || :run;
INSERT INTO plans (number, title, issued_on, issuer_id, monitor_id)
SELECT 'W' || :run || '/KH', 'Kế hoạch đo tải', current_date, b.id, c.id FROM agencies b, agencies c WHERE b.code = 'BCD-W' || :run AND c.code = 'CA-W' || :run;
CREATE TABLE IF NOT EXISTS scale_ids (run bigint NOT NULL, side text NOT NULL, n integer NOT NULL, id uuid NOT NULL, PRIMARY KEY (run, side, n));

WITH ins AS (
    INSERT INTO tasks (plan_id, title, workflow_id, state, open, lead_id, due, due_at, ack_due_at, created_at, updated_at)
    SELECT p.id, 'Nhiệm vụ đo tải #' || g, w.id, 'assigned', true, a.id,
           CASE WHEN g <= :tasks THEN jsonb_build_object('before', (current_date + 300)::text) ELSE jsonb_build_object('at', x.at) END,
           CASE WHEN g <= :tasks THEN (current_date + 300)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' ELSE x.at END,
           now() + interval '2 days', now(), now()
    FROM generate_series(1, :tasks + :crossing) g,
         (SELECT date_trunc('minute', now()) + interval '5 minutes' AS at) x,
         (SELECT id FROM plans WHERE number = 'W' || :run || '/KH') p,
         (SELECT id FROM workflows WHERE name = 'task' ORDER BY version DESC LIMIT 1) w,
         (SELECT id FROM agencies WHERE code = 'CA-W' || :run) a
    RETURNING id, due_at
), numbered AS (
    SELECT id, due_at, due_at < now() + interval '1 day' AS crossing, row_number() OVER (PARTITION BY due_at ORDER BY id) AS r FROM ins
), ev AS (
    INSERT INTO task_events (task_id, seq, at, actor, name, to_state, params)
    SELECT id, 1, now(), 'bench-chair', 'assign', 'assigned', jsonb_build_object('lead', 'CA-W' || :run) FROM numbered
), ob AS (
    INSERT INTO outbox (task_id, event_seq) SELECT id, 1 FROM numbered
), nt AS (
    INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
    SELECT a.id, numbered.id, 1, 'assign', now() FROM numbered, agencies a WHERE a.code = 'CA-W' || :run
), tm AS (
    INSERT INTO task_timers (task_id, kind, due_at, fire_at)
    SELECT numbered.id, k.kind, numbered.due_at, numbered.due_at + k.shift
    FROM numbered CROSS JOIN (VALUES ('remind:3', interval '-3 days'), ('remind:1', interval '-1 day'),
                                     ('overdue', interval '0'), ('escalate', interval '5 days')) k(kind, shift)
    WHERE numbered.due_at + k.shift > now()
)
INSERT INTO scale_ids (run, side, n, id)
SELECT :run, CASE WHEN crossing THEN 'cross' ELSE 'ack' END, r, id FROM numbered;
ANALYZE tasks;
ANALYZE task_timers;
