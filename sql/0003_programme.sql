-- Many agencies, one programme: cooperating contributions, incidents, cascading plans,
-- indicator reports, and agencies that are renamed and merged while their work goes on.

-- A cooperating agency's contribution to a task (its part, with an optional document reference).
ALTER TABLE task_cooperators ADD COLUMN contributed_at timestamptz;
ALTER TABLE task_cooperators ADD COLUMN contribution text;
ALTER TABLE task_cooperators ADD COLUMN contribution_reference text;
ALTER TABLE task_cooperators ADD COLUMN contribution_on_time boolean;

-- Incident reports (báo cáo nhanh) are tasks of their own kind: not counted as assigned work.
ALTER TABLE tasks ADD COLUMN kind text NOT NULL DEFAULT 'task' CHECK (kind IN ('task', 'incident'));
CREATE INDEX tasks_incidents ON tasks (plan_id, id) WHERE kind = 'incident';

-- Cascading plans: a plan made as the deliverable of a task of another plan. Each plan carries
-- its lineage (the plans above it, then itself) and who oversees it: the issuers and monitors
-- of every plan in the lineage, so progress, the board and visibility roll up through levels.
ALTER TABLE plans ADD COLUMN lineage uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE plans ADD COLUMN overseers bigint[] NOT NULL DEFAULT '{}';
ALTER TABLE plans ADD COLUMN monitors bigint[] NOT NULL DEFAULT '{}';
UPDATE plans SET lineage = ARRAY[id], overseers = ARRAY[issuer_id], monitors = array_remove(ARRAY[monitor_id], NULL);

-- A plan inserted without a lineage stands alone: it is its own lineage, overseen by its issuer.
CREATE FUNCTION plans_default_lineage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(NEW.lineage) = 0 THEN
        NEW.lineage := ARRAY[NEW.id];
        NEW.overseers := ARRAY[NEW.issuer_id];
        NEW.monitors := array_remove(ARRAY[NEW.monitor_id], NULL);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER plans_lineage BEFORE INSERT ON plans FOR EACH ROW EXECUTE FUNCTION plans_default_lineage();
CREATE INDEX plans_lineage ON plans USING gin (lineage);
CREATE INDEX plans_overseers ON plans USING gin (overseers);
CREATE INDEX plans_monitors ON plans USING gin (monitors);
CREATE INDEX plans_basis ON plans (basis_task_id);

-- Values agencies report for a plan's indicators, per period (e.g. 2026, 2026-H1, 2026-Q3, 2026-05).
CREATE TABLE indicator_reports (
    plan_id     uuid NOT NULL,
    key         text NOT NULL,
    agency_id   bigint NOT NULL REFERENCES agencies (id),
    period      text NOT NULL CHECK (period ~ '^[0-9]{4}(-(H[12]|Q[1-4]|[0-9]{2}))?$'),
    value       double precision NOT NULL CHECK (value >= 0),
    numerator   double precision,
    denominator double precision CHECK (denominator > 0),
    note        text,
    reported_at timestamptz NOT NULL,
    reported_by bigint REFERENCES users (id),
    PRIMARY KEY (plan_id, key, agency_id, period),
    FOREIGN KEY (plan_id, key) REFERENCES plan_indicators (plan_id, key)
);

-- An agency's former names, so a rename keeps what it was called when.
CREATE TABLE agency_names (
    agency_id  bigint NOT NULL REFERENCES agencies (id),
    name       text NOT NULL,
    until      timestamptz NOT NULL,
    PRIMARY KEY (agency_id, until)
);

-- An instant as RFC 3339 in a plan's zone (as the API renders times), for JSON built in SQL.
CREATE FUNCTION baton_rfc3339(t timestamptz, zone text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT to_char(l, 'YYYY-MM-DD"T"HH24:MI:SS') || rtrim(rtrim(to_char(l, '.US'), '0'), '.')
           || CASE WHEN o < 0 THEN '-' ELSE '+' END
           || lpad((abs(o) / 3600)::text, 2, '0') || ':' || lpad((abs(o) % 3600 / 60)::text, 2, '0')
    FROM (SELECT t AT TIME ZONE zone AS l,
                 extract(epoch FROM (t AT TIME ZONE zone) - (t AT TIME ZONE 'UTC'))::int AS o) x
$$;
