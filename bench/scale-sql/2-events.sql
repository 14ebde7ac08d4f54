-- make bench-scale, second step: the events, in :parts sessions at once (this one takes its :part of the tasks).
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET work_mem = '256MB';
-- Events, one level of seq at a time so the chaining trigger finds each previous hash.
SELECT format($q$
INSERT INTO task_events (task_id, seq, at, actor, agency_id, name, from_state, to_state, note, params)
SELECT t.id, %1$s, e.at, e.actor, e.agency_id, n.name, e.from_state, e.to_state, e.note, e.params
FROM tasks t JOIN plans p ON p.id = t.plan_id LEFT JOIN agencies la ON la.id = t.lead_id
CROSS JOIN LATERAL (
    SELECT CASE WHEN %1$s <= t.version THEN
                    CASE WHEN NOT t.leaf THEN (ARRAY['assign', 'close'])[%1$s]
                         WHEN t.state = 'cancelled' THEN (ARRAY['assign', 'cancel'])[%1$s]
                         ELSE (ARRAY['assign', 'acknowledge', 'start', 'submit', 'close'])[%1$s] END
                WHEN %1$s = t.version + 1 THEN 'overdue' ELSE 'escalate' END AS name) n
CROSS JOIN LATERAL (
    SELECT CASE n.name WHEN 'assign' THEN t.created_at WHEN 'acknowledge' THEN t.created_at + interval '1 day'
                       WHEN 'start' THEN t.created_at + interval '2 days' WHEN 'submit' THEN coalesce(t.closed_at - interval '1 day', t.created_at + interval '3 days')
                       WHEN 'close' THEN t.closed_at WHEN 'cancel' THEN t.created_at + interval '5 days' WHEN 'overdue' THEN t.due_at
                       ELSE t.due_at + interval '5 days' END AS at,
           CASE WHEN n.name IN ('overdue', 'escalate') THEN 'baton' WHEN n.name IN ('assign', 'close', 'cancel') THEN 'scale-chair'
                ELSE 'scale-officer' END AS actor,
           CASE WHEN n.name IN ('overdue', 'escalate') THEN NULL WHEN n.name IN ('assign', 'close', 'cancel') THEN p.issuer_id ELSE t.lead_id END AS agency_id,
           CASE n.name WHEN 'assign' THEN NULL WHEN 'acknowledge' THEN 'assigned' WHEN 'start' THEN 'acknowledged' WHEN 'submit' THEN 'in_progress'
                       WHEN 'close' THEN CASE WHEN t.leaf THEN 'submitted' ELSE 'assigned' END WHEN 'cancel' THEN 'assigned' ELSE t.state END AS from_state,
           CASE n.name WHEN 'assign' THEN 'assigned' WHEN 'acknowledge' THEN 'acknowledged' WHEN 'start' THEN 'in_progress' WHEN 'submit' THEN 'submitted'
                       WHEN 'close' THEN 'closed' WHEN 'cancel' THEN 'cancelled' ELSE t.state END AS to_state,
           CASE n.name WHEN 'submit' THEN 'Đã hoàn thành, báo cáo kết quả' WHEN 'cancel' THEN 'Không còn phù hợp' END AS note,
           CASE n.name WHEN 'assign' THEN CASE WHEN t.leaf THEN jsonb_build_object('lead', la.code) ELSE jsonb_build_object('lead', t.fanout) END
                       WHEN 'overdue' THEN jsonb_build_object('due_at', baton_rfc3339(t.due_at, p.time_zone))
                       WHEN 'escalate' THEN jsonb_build_object('due_at', baton_rfc3339(t.due_at, p.time_zone))
                       ELSE '{}'::jsonb END AS params) e
WHERE t.seq >= %1$s AND get_byte(uuid_send(t.id), 15) %% %2$s = %3$s
$q$, k, :parts, :part) FROM generate_series(1, 7) k \gexec

