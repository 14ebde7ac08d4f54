-- make bench-scale, last step: outbox, notifications, timers, then the indexes.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET maintenance_work_mem = '1GB';
SET work_mem = '256MB';
-- The outbox keeps the last seven days' events (the sweep prunes what was relayed before).
INSERT INTO outbox (task_id, event_seq, created_at, relayed_at)
SELECT task_id, seq, at, at FROM task_events WHERE at > now() - interval '7 days' ORDER BY at;
-- Assignment notifications to the lead and the cooperating agency; read once the task closed.
INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at, read_at)
SELECT r.agency, t.id, 1, 'assign', t.created_at, t.closed_at
FROM tasks t CROSS JOIN LATERAL (SELECT t.lead_id UNION ALL SELECT c.agency_id FROM task_cooperators c WHERE c.task_id = t.id) r(agency)
WHERE t.leaf ORDER BY t.id;
-- Overdue marks and escalations went to the lead, the issuer and the monitor.
INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at, read_at)
SELECT CASE e.name WHEN 'overdue' THEN t.lead_id ELSE p.issuer_id END, e.task_id, e.seq, e.name, e.at, NULL
FROM task_events e JOIN tasks t ON t.id = e.task_id JOIN plans p ON p.id = t.plan_id WHERE e.name IN ('overdue', 'escalate');
-- Timers: what is still to fire for open tasks, and the fired marks behind the events above.
INSERT INTO task_timers (task_id, kind, due_at, fire_at, fired_at)
SELECT t.id, k.kind, t.due_at, t.due_at + k.shift,
       CASE WHEN t.due_at + k.shift <= now() THEN t.due_at + k.shift END
FROM tasks t CROSS JOIN (VALUES ('remind:3', interval '-3 days'), ('remind:1', interval '-1 day'),
                                ('overdue', interval '0'), ('escalate', interval '5 days')) k(kind, shift)
WHERE t.leaf AND t.open AND t.due_at IS NOT NULL AND (t.due_at + k.shift > now() OR k.kind IN ('overdue', 'escalate'));

SELECT indexdef FROM scale_indexes \gexec
DROP TABLE scale_indexes;
-- The counts the triggers kept while loading, folded and settled as the timer loop does every few seconds.
SELECT baton_fold_counts();
VACUUM ANALYZE;
