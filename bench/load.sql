-- Bench data: one plan issued by a steering committee, :tasks tasks led by the police for the
-- REST side (bench_rest) and as many for the pgbench side (bench_pg), each with its `assign`
-- event, exactly as `POST /v1/tasks` writes them.
\set ON_ERROR_STOP on
INSERT INTO agencies (code, name, kind) VALUES ('UBND-B', 'Ủy ban nhân dân huyện (bench)', 'people_committee');
INSERT INTO agencies (code, name, kind, parent_id) SELECT 'BCD-B', 'Ban Chỉ đạo 138 (bench)', 'steering_committee', id FROM agencies WHERE code = 'UBND-B';
INSERT INTO agencies (code, name, kind, parent_id) SELECT 'CA-B', 'Công an huyện (bench)', 'police', id FROM agencies WHERE code = 'UBND-B';
INSERT INTO agencies (code, name, kind, parent_id) SELECT 'GDDT-B', 'Phòng Giáo dục và Đào tạo (bench)', 'education', id FROM agencies WHERE code = 'UBND-B';
INSERT INTO users (login, agency_id, roles) SELECT 'bench-chair', id, ARRAY['committee'] FROM agencies WHERE code = 'BCD-B';
INSERT INTO users (login, agency_id, roles) SELECT 'bench-ca', id, ARRAY['officer'] FROM agencies WHERE code = 'CA-B';
INSERT INTO plans (number, title, issued_on, issuer_id, monitor_id)
SELECT 'BENCH/KH', 'Kế hoạch đo tải', date '2026-01-05', b.id, c.id FROM agencies b, agencies c WHERE b.code = 'BCD-B' AND c.code = 'CA-B';

CREATE TABLE bench_ids (side text NOT NULL, n integer NOT NULL, id uuid NOT NULL, PRIMARY KEY (side, n));

WITH ins AS (
    INSERT INTO tasks (plan_id, title, workflow_id, state, open, lead_id, due, due_at, created_at, updated_at)
    SELECT p.id, 'Phối hợp phòng chống bạo lực học đường #' || g, w.id, 'assigned', true, a.id,
           '{"before": "2030-11-15"}'::jsonb, timestamptz '2030-11-15 00:00:00+07', now(), now()
    FROM generate_series(1, 2 * :tasks) g,
         (SELECT id FROM plans WHERE number = 'BENCH/KH') p,
         (SELECT id FROM workflows WHERE name = 'task' ORDER BY version DESC LIMIT 1) w,
         (SELECT id FROM agencies WHERE code = 'CA-B') a
    RETURNING id
), numbered AS (
    SELECT id, row_number() OVER (ORDER BY id) AS r FROM ins
), coop AS (
    INSERT INTO task_cooperators (task_id, agency_id, position)
    SELECT numbered.id, a.id, 1 FROM numbered, agencies a WHERE a.code = 'GDDT-B'
), ev AS (
    INSERT INTO task_events (task_id, seq, at, actor, name, to_state, params)
    SELECT id, 1, now(), 'bench-chair', 'assign', 'assigned', '{"lead": "CA-B"}'::jsonb FROM numbered
)
INSERT INTO bench_ids (side, n, id)
SELECT CASE WHEN r <= :tasks THEN 'rest' ELSE 'pg' END, CASE WHEN r <= :tasks THEN r ELSE r - :tasks END, id FROM numbered;

VACUUM ANALYZE;
