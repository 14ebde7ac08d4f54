-- Sweep bench data: :open open tasks with timers as Baton writes them (two reminders, the
-- overdue mark, the escalation), of which :crossing are due at 2030-01-10 and the rest later.
\set ON_ERROR_STOP on
WITH ins AS (
    INSERT INTO tasks (plan_id, title, workflow_id, state, open, lead_id, due, due_at, ack_due_at, created_at, updated_at)
    SELECT p.id, 'Báo cáo định kỳ #' || g, w.id, 'assigned', true, a.id, '{"before": "2030-01-10"}'::jsonb,
           CASE WHEN g <= :crossing THEN timestamptz '2030-01-10 00:00:00+07' ELSE timestamptz '2031-01-10 00:00:00+07' END,
           now() + interval '2 days', now(), now()
    FROM generate_series(1, :open) g,
         (SELECT id FROM plans WHERE number = 'BENCH/KH') p,
         (SELECT id FROM workflows WHERE name = 'task' ORDER BY version DESC LIMIT 1) w,
         (SELECT id FROM agencies WHERE code = 'CA-B') a
    RETURNING id, due_at
), ev AS (
    INSERT INTO task_events (task_id, seq, at, actor, name, to_state, params)
    SELECT id, 1, now(), 'bench-chair', 'assign', 'assigned', '{}'::jsonb FROM ins
)
INSERT INTO task_timers (task_id, kind, due_at, fire_at)
SELECT ins.id, k.kind, ins.due_at, ins.due_at + k.shift
FROM ins CROSS JOIN (VALUES ('remind:3', interval '-3 days'), ('remind:1', interval '-17 hours'),
                            ('overdue', interval '0'), ('escalate', interval '5 days')) AS k(kind, shift);
VACUUM ANALYZE;
