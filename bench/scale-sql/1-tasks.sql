-- make bench-scale: a national dataset written with set operations, as Baton itself would have written it.
--
-- 50,000 agencies: the national government and its steering committee (BCD138-VN), 34 provinces each with
-- 12 departments (steering committee, police, education, …), 3,298 communes (97 per province) each with its
-- steering committee and police, and 39,660 schools under the communes. :tasks leaf tasks (about) over plans of
-- every size, five years of history up to today:
--   national plans (a fifth of the tasks): the steering committee fans each out to every agency ({each_under: VN},
--     49,999 agencies), one of them a half-yearly report to every school ({yearly_before: [06-01, 12-01]});
--   province plans (two fifths): each province's committee to everything in its province (~1,470 agencies), the
--     first ones cascaded from a national plan (basis_task: the child its committee leads; lineage, overseers and
--     monitors follow), a quarter of them with the province police cooperating;
--   commune plans (two fifths): each commune's committee to its 14 agencies, half with the commune police cooperating.
-- Each plan is one fan-out parent and its children. Past their due time, tasks are mostly closed (four in five on
-- time), some cancelled, some still open (overdue, with the overdue mark and escalation the timer sweep would have
-- written); not yet due, they are in every open state. Every task has its events (assign, acknowledge, start,
-- submit, close or cancel, overdue, escalate) hash-chained by the database's own trigger, in order; its assignment
-- notifications (read once the task closed); its pending timers; outbox rows for the last seven days' events
-- (older ones the sweep has already pruned). Ids are version-7 UUIDs of the creation time.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET maintenance_work_mem = '1GB';
SET work_mem = '256MB';
SELECT setseed(0.12) \gset

CREATE FUNCTION pg_temp.uuid7_at(ts timestamptz) RETURNS uuid LANGUAGE sql VOLATILE AS
$$ SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
          placing substring(int8send(floor(extract(epoch FROM ts) * 1000)::bigint) FROM 3)
          FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid $$;

-- The indexes of the big tables are built once at the end (the same definitions, read back from the catalogue).
CREATE TABLE scale_indexes AS
SELECT indexname, indexdef FROM pg_indexes
WHERE schemaname = 'public' AND tablename IN ('tasks', 'task_events', 'task_cooperators', 'notifications', 'task_timers', 'outbox')
  AND indexname NOT IN (SELECT conname FROM pg_constraint);
SELECT format('DROP INDEX %I', indexname) FROM scale_indexes \gexec

-- Agencies.
INSERT INTO agencies (code, name, kind) VALUES ('VN', 'Chính phủ (scale)', 'people_committee');
INSERT INTO agencies (code, name, kind, parent_id)
SELECT c, n, k, (SELECT id FROM agencies WHERE code = 'VN')
FROM (VALUES ('BCD138-VN', 'Ban Chỉ đạo 138 Chính phủ', 'steering_committee'), ('BCA', 'Bộ Công an', 'police'),
             ('BGDDT', 'Bộ Giáo dục và Đào tạo', 'education')) v(c, n, k);
INSERT INTO agencies (code, name, kind, parent_id)
SELECT format('T%s', lpad(p::text, 2, '0')), format('Ủy ban nhân dân tỉnh số %s', p), 'people_committee', vn.id
FROM generate_series(1, 34) p, (SELECT id FROM agencies WHERE code = 'VN') vn;
INSERT INTO agencies (code, name, kind, parent_id)
SELECT format('%s-T%s', d.c, lpad(p::text, 2, '0')), format('%s tỉnh số %s', d.n, p), d.k, t.id
FROM generate_series(1, 34) p
JOIN agencies t ON t.code = format('T%s', lpad(p::text, 2, '0'))
CROSS JOIN (VALUES ('BCD', 'Ban Chỉ đạo 138', 'steering_committee'), ('CA', 'Công an', 'police'),
                   ('SGDDT', 'Sở Giáo dục và Đào tạo', 'education'), ('STP', 'Sở Tư pháp', 'justice'),
                   ('SLDTBXH', 'Sở Lao động - Thương binh và Xã hội', 'labour'), ('SVHTT', 'Sở Văn hóa, Thể thao và Du lịch', 'culture'),
                   ('STC', 'Sở Tài chính', 'finance'), ('TD', 'Tỉnh Đoàn', 'youth_union'), ('MTTQ', 'Ủy ban MTTQ', 'front'),
                   ('HLHPN', 'Hội Liên hiệp Phụ nữ', 'women_union'), ('VKS', 'Viện Kiểm sát nhân dân', 'procuracy'),
                   ('TAND', 'Tòa án nhân dân', 'court')) d(c, n, k);
INSERT INTO agencies (code, name, kind, parent_id)
SELECT format('X%s', lpad(x::text, 4, '0')), format('Ủy ban nhân dân xã số %s', x), 'commune', t.id
FROM generate_series(1, 3298) x JOIN agencies t ON t.code = format('T%s', lpad(((x - 1) % 34 + 1)::text, 2, '0'));
INSERT INTO agencies (code, name, kind, parent_id)
SELECT format('%s-X%s', d.c, lpad(x::text, 4, '0')), format('%s xã số %s', d.n, x), d.k, c.id
FROM generate_series(1, 3298) x JOIN agencies c ON c.code = format('X%s', lpad(x::text, 4, '0'))
CROSS JOIN (VALUES ('BCD', 'Ban Chỉ đạo 138', 'steering_committee'), ('CA', 'Công an', 'police')) d(c, n, k);
INSERT INTO agencies (code, name, kind, parent_id)
SELECT format('S%s', lpad(s::text, 5, '0')), format('Trường học số %s', s), 'school', c.id
FROM generate_series(1, 39660) s JOIN agencies c ON c.code = format('X%s', lpad(((s - 1) % 3298 + 1)::text, 4, '0'));
-- One officer per agency, a committee member per steering committee, an admin.
INSERT INTO users (login, agency_id, roles)
SELECT lower(code) || '.canbo', id, CASE WHEN kind = 'steering_committee' THEN ARRAY['committee', 'officer'] ELSE ARRAY['officer'] END
FROM agencies WHERE path[1] = (SELECT id FROM agencies WHERE code = 'VN');
INSERT INTO users (login, roles) VALUES ('scale-admin', ARRAY['admin']);
INSERT INTO users (login, agency_id, roles) SELECT 'scale-coordinator', id, ARRAY['coordinator'] FROM agencies WHERE code = 'BCA';

-- Plans: issuer, monitor, whose descendants lead (each_under), issue day, due time (00:00, Vietnam), cooperator.
SELECT (:tasks * 0.2 / 49999.0)::numeric AS nat_f, (:tasks * 0.4 / (34 * 1469.0))::numeric AS prov_f,
       (:tasks * 0.4 / (3298 * 14.0))::numeric AS comm_f \gset
CREATE TEMP TABLE gp (
    n serial, tier text, issuer_id bigint, monitor_id bigint, target_id bigint, coop_id bigint, issued_on date, due_on date,
    recurring boolean DEFAULT false, basis_of int, seq_in_tier int, id uuid, parent_task uuid, province int
);
-- National: greatest(1, …) plans; the first one the half-yearly school report, when there is room for it.
INSERT INTO gp (tier, issuer_id, monitor_id, target_id, issued_on, due_on, seq_in_tier)
SELECT 'national', (SELECT id FROM agencies WHERE code = 'BCD138-VN'), (SELECT id FROM agencies WHERE code = 'BCA'),
       (SELECT id FROM agencies WHERE code = 'VN'), d, d + 60 + (i * 37) % 90, i
FROM generate_series(1, greatest(1, round(:nat_f)::int)) i,
     LATERAL (SELECT current_date - 10 - ((greatest(1, round(:nat_f)::int) - i) * 1816 / greatest(1, round(:nat_f)::int))::int AS d) x;
UPDATE gp SET recurring = true WHERE tier = 'national' AND seq_in_tier = 1 AND :tasks >= 2000000;
-- Province plans: the first ones deliver a national plan's task (the child the province committee leads).
INSERT INTO gp (tier, issuer_id, monitor_id, target_id, coop_id, issued_on, due_on, seq_in_tier, province, basis_of)
SELECT 'province', b.id, ca.id, t.id, CASE WHEN i % 4 = 0 THEN ca.id END, d, d + 30 + (i * 17 + p) % 120, i, p, NULL
FROM generate_series(1, 34) p
JOIN agencies t ON t.code = format('T%s', lpad(p::text, 2, '0'))
JOIN agencies b ON b.code = format('BCD-T%s', lpad(p::text, 2, '0'))
JOIN agencies ca ON ca.code = format('CA-T%s', lpad(p::text, 2, '0'))
CROSS JOIN generate_series(1, greatest(1, round(:prov_f)::int)) i
CROSS JOIN LATERAL (SELECT current_date - 10 - ((greatest(1, round(:prov_f)::int) - i) * 1816 / greatest(1, round(:prov_f)::int))::int - p % 7 AS d) x;
UPDATE gp SET basis_of = nat.n, issued_on = nat.issued_on + 5, due_on = nat.due_on - 10
FROM gp nat WHERE gp.tier = 'province' AND nat.tier = 'national' AND NOT nat.recurring AND nat.seq_in_tier = gp.seq_in_tier;
-- Commune plans ("district" size: 14 agencies).
INSERT INTO gp (tier, issuer_id, monitor_id, target_id, coop_id, issued_on, due_on, seq_in_tier)
SELECT 'commune', b.id, ca.id, c.id, CASE WHEN i % 2 = 0 THEN ca.id END, d, d + 30 + (i * 13 + x) % 90, i
FROM generate_series(1, 3298) x
JOIN agencies c ON c.code = format('X%s', lpad(x::text, 4, '0'))
JOIN agencies b ON b.code = format('BCD-X%s', lpad(x::text, 4, '0'))
JOIN agencies ca ON ca.code = format('CA-X%s', lpad(x::text, 4, '0'))
CROSS JOIN generate_series(1, greatest(1, round(:comm_f)::int)) i
CROSS JOIN LATERAL (SELECT current_date - 10 - ((greatest(1, round(:comm_f)::int) - i) * 1816 / greatest(1, round(:comm_f)::int))::int - x % 11 AS d) x2;
UPDATE gp SET id = pg_temp.uuid7_at(issued_on::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'), parent_task = pg_temp.uuid7_at(issued_on + time '08:00' AT TIME ZONE 'Asia/Ho_Chi_Minh');

INSERT INTO plans (id, number, title, issued_on, issuer_id, monitor_id, created_at, lineage, overseers, monitors)
SELECT g.id, format('%s/KH-%s', g.n, ia.code), format('Kế hoạch %s số %s', g.tier, g.seq_in_tier), g.issued_on, g.issuer_id, g.monitor_id,
       g.issued_on::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh', ARRAY[g.id], ARRAY[g.issuer_id], ARRAY[g.monitor_id]
FROM gp g JOIN agencies ia ON ia.id = g.issuer_id
ORDER BY g.id;

-- Tasks: the fan-out parent of each plan, then its children.
CREATE TEMP TABLE wf AS SELECT id FROM workflows WHERE name = 'task' ORDER BY version DESC LIMIT 1;
INSERT INTO tasks (id, plan_id, key, title, workflow_id, state, open, fanout, recurrence, due, due_at, created_at, updated_at, version, seq)
SELECT g.parent_task, g.id, 'k1', format('Triển khai kế hoạch %s', g.n), (SELECT id FROM wf), 'assigned', true,
       CASE WHEN g.recurring THEN '{"each_of_kind": "school"}'::jsonb ELSE jsonb_build_object('each_under', a.code) END,
       CASE WHEN g.recurring THEN '["06-01", "12-01"]'::jsonb END,
       CASE WHEN g.recurring THEN '{"yearly_before": ["06-01", "12-01"]}'::jsonb ELSE jsonb_build_object('before', g.due_on::text) END,
       CASE WHEN NOT g.recurring THEN g.due_on::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' END,
       g.issued_on + time '08:00' AT TIME ZONE 'Asia/Ho_Chi_Minh', g.issued_on + time '08:00' AT TIME ZONE 'Asia/Ho_Chi_Minh', 1, 1
FROM gp g JOIN agencies a ON a.id = g.target_id;

-- Children: one per agency below the target; a recurring plan one per school and half-year occurrence.
CREATE TEMP TABLE kids AS
SELECT g.n, g.id AS plan_id, g.parent_task, a.id AS lead_id, g.coop_id, g.issued_on, g.recurring,
       CASE WHEN g.recurring THEN occ.due_on ELSE g.due_on END AS due_on,
       CASE WHEN g.recurring THEN greatest(g.issued_on, occ.due_on - 180) ELSE g.issued_on END AS assigned_on
FROM gp g
JOIN agencies a ON a.path @> ARRAY[g.target_id] AND a.id <> g.target_id AND (NOT g.recurring OR a.kind = 'school')
LEFT JOIN LATERAL (
    SELECT d::date AS due_on FROM generate_series(date_trunc('year', g.issued_on::timestamp), current_date + 200, interval '1 year') s,
         LATERAL (VALUES (s + interval '5 months'), (s + interval '11 months')) v(d)
    WHERE g.recurring AND d::date > g.issued_on + 30 AND d::date <= current_date + 200
    ORDER BY d DESC LIMIT greatest(1, least(10, :tasks / 1000000))
) occ ON g.recurring;
-- A recurring series has one open occurrence per agency: the latest; earlier ones are in the past.

CREATE TEMP TABLE st AS
SELECT k.*, due_on::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS due_at,
       assigned_on + time '08:00' AT TIME ZONE 'Asia/Ho_Chi_Minh' AS created_at,
       CASE WHEN due_on <= current_date THEN
                CASE WHEN r < 0.03 THEN 'cancelled' WHEN r < 0.09 THEN (ARRAY['assigned', 'acknowledged', 'in_progress', 'submitted'])[1 + floor(r2 * 4)::int]
                     ELSE 'closed' END
            ELSE CASE WHEN r < 0.05 THEN 'closed' WHEN r < 0.35 THEN 'assigned' WHEN r < 0.6 THEN 'acknowledged'
                      WHEN r < 0.85 THEN 'in_progress' ELSE 'submitted' END END AS state
FROM (SELECT kids.*, random() AS r, random() AS r2 FROM kids) k;
ANALYZE st;

INSERT INTO tasks (id, plan_id, parent_id, key, title, workflow_id, state, open, lead_id, due, due_at, ack_due_at,
                   acknowledged_at, acknowledged_late, closed_at, on_time, version, seq, created_at, updated_at)
SELECT pg_temp.uuid7_at(s.created_at), s.plan_id, s.parent_task, 'k1', format('Triển khai kế hoạch %s', s.n), (SELECT id FROM wf),
       s.state, s.state NOT IN ('closed', 'cancelled'), s.lead_id,
       CASE WHEN s.recurring THEN '{"yearly_before": ["06-01", "12-01"]}'::jsonb ELSE jsonb_build_object('before', s.due_on::text) END,
       s.due_at,
       CASE WHEN s.state = 'assigned' THEN s.created_at + interval '2 days' END,
       CASE WHEN s.state NOT IN ('assigned', 'cancelled') THEN s.created_at + interval '1 day' END,
       CASE WHEN s.state NOT IN ('assigned', 'cancelled') THEN false END,
       c.closed_at, CASE WHEN c.closed_at IS NOT NULL THEN c.closed_at < s.due_at END,
       v.version, v.version + CASE WHEN s.due_at <= now() AND s.state NOT IN ('closed', 'cancelled')
                                   THEN CASE WHEN s.due_at + interval '5 days' <= now() THEN 2 ELSE 1 END ELSE 0 END,
       s.created_at, coalesce(c.closed_at, CASE WHEN s.state = 'cancelled' THEN s.created_at + interval '5 days' END, s.created_at)
FROM st s
CROSS JOIN LATERAL (SELECT CASE s.state WHEN 'assigned' THEN 1 WHEN 'cancelled' THEN 2 WHEN 'acknowledged' THEN 2
                                        WHEN 'in_progress' THEN 3 WHEN 'submitted' THEN 4 ELSE 5 END AS version) v
CROSS JOIN LATERAL (SELECT CASE WHEN s.state <> 'closed' THEN NULL
                                WHEN s.due_at > now() THEN least(s.created_at + interval '5 days', now() - interval '1 hour')
                                WHEN s.r2 < 0.8 THEN greatest(s.created_at + interval '4 days', s.due_at - (1 + floor(s.r2 * 25)) * interval '1 day')
                                ELSE least(s.due_at + (1 + floor(s.r2 * 150)) * interval '1 hour', now() - interval '1 hour') END AS closed_at) c
ORDER BY s.created_at;
DROP TABLE kids;

ANALYZE tasks;
-- The cascade: a province plan delivers the national plan's task its committee leads.
UPDATE plans p SET basis_task_id = b.id, lineage = ARRAY[nat.id, p.id], overseers = ARRAY[nat.issuer_id, p.issuer_id],
                   monitors = ARRAY[nat.monitor_id, p.monitor_id]
FROM gp g JOIN gp natg ON natg.n = g.basis_of JOIN plans nat ON nat.id = natg.id
JOIN (SELECT t.id, t.plan_id, t.lead_id FROM tasks t JOIN agencies a ON a.id = t.lead_id AND a.kind = 'steering_committee'
      WHERE t.plan_id IN (SELECT id FROM gp WHERE tier = 'national') AND t.leaf) b ON b.plan_id = natg.id AND b.lead_id = g.issuer_id
WHERE p.id = g.id;

-- Cooperating parts (acknowledged; contributed when the task closed).
INSERT INTO task_cooperators (task_id, agency_id, position, acknowledged_at, acknowledged_late, contributed_at, contribution, contribution_on_time)
SELECT t.id, g.coop_id, 1, t.created_at + interval '1 day', false,
       CASE WHEN t.closed_at IS NOT NULL THEN t.closed_at - interval '2 days' END,
       CASE WHEN t.closed_at IS NOT NULL THEN 'Đã phối hợp thực hiện' END,
       CASE WHEN t.closed_at IS NOT NULL THEN t.closed_at - interval '2 days' < t.due_at END
FROM tasks t JOIN gp g ON g.parent_task = t.parent_id
WHERE g.coop_id IS NOT NULL AND t.lead_id <> g.coop_id;

-- Fan-out parents whose children are all final close with them (the recurring one stays open).
UPDATE tasks p SET state = 'closed', open = false, closed_at = x.last, on_time = x.last < p.due_at, version = 2, seq = 2, updated_at = x.last
FROM (SELECT parent_id, max(closed_at) AS last FROM tasks WHERE parent_id IS NOT NULL GROUP BY parent_id
      HAVING bool_and(NOT open) AND max(closed_at) IS NOT NULL) x
WHERE p.id = x.parent_id AND p.recurrence IS NULL;

ANALYZE tasks;
