-- Settles the kept counts (issue #12). A tally row that a clock comparison needs carries its exact instant (`at`),
-- so at 10 million tasks the board's totals held a row for nearly every open task's due time, and the national
-- board added up about a million of them (1 s). Once an instant is in the past it only ever compares one way —
-- at <= now for every clock from then on — so the timer loop's fold moves the rows whose instant is more than an
-- hour old into one row per agency and measure at '-infinity', and records how late the latest of them was
-- (kept_counts_settled.until). A read adds those up as it adds any row (-infinity <= now), and is exact whenever
-- its clock is at or after `until`; before it (a clock set back, in tests) the read counts the tasks instead
-- (`BatonStore.keptCountsSettled`). Changes folded later with an instant before `until` go to the settled row too.
--
-- Nothing is stale: the instants that can still compare either way (an hour ago and later) stay exact.

CREATE TABLE kept_counts_settled (
    one   boolean PRIMARY KEY DEFAULT true CHECK (one),
    until timestamptz NOT NULL
);
INSERT INTO kept_counts_settled VALUES (true, '-infinity');

-- The rows an hourly settle moves: only those with an exact instant (few, once settled).
CREATE INDEX board_counts_exact ON board_counts (at) WHERE at > '-infinity';
CREATE INDEX stats_counts_exact ON stats_counts (at) WHERE at > '-infinity';

-- Folds the appended changes into the totals, deleting the totals the fold brought to zero (by key: not a scan of
-- every total), then settles what is more than an hour old. The timer loop runs it under the sweep's lock; two at
-- once still count each change once (a change row is deleted once, the settled row is locked).
CREATE OR REPLACE FUNCTION baton_fold_counts() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    settled_until timestamptz := (SELECT s.until FROM kept_counts_settled s FOR UPDATE);
    cut timestamptz := date_trunc('hour', baton_now()) - interval '1 hour';
    zero_board baton_tally[];
    zero_stats baton_tally[];
    latest timestamptz;
BEGIN
    IF EXISTS (SELECT 1 FROM task_count_changes) THEN
        WITH d AS (
            DELETE FROM task_count_changes
            RETURNING agency_id, measure, CASE WHEN at < settled_until THEN '-infinity' ELSE at END AS at, day, n
        ), b AS (
            INSERT INTO board_counts (agency_id, measure, at, n)
            SELECT agency_id, measure, at, sum(n) FROM d WHERE day IS NULL GROUP BY 1, 2, 3
            ON CONFLICT (agency_id, measure, at) DO UPDATE SET n = board_counts.n + excluded.n
            RETURNING agency_id, measure, at, n
        ), s AS (
            INSERT INTO stats_counts (day, agency_id, measure, at, n)
            SELECT day, agency_id, measure, at, sum(n) FROM d WHERE day IS NOT NULL GROUP BY 1, 2, 3, 4
            ON CONFLICT (day, agency_id, measure, at) DO UPDATE SET n = stats_counts.n + excluded.n
            RETURNING day, agency_id, measure, at, n
        )
        SELECT (SELECT array_agg(ROW(agency_id, measure, at, NULL)::baton_tally) FROM b WHERE n = 0),
               (SELECT array_agg(ROW(agency_id, measure, at, day)::baton_tally) FROM s WHERE n = 0)
        INTO zero_board, zero_stats;
        DELETE FROM board_counts c USING unnest(zero_board) z
        WHERE c.agency_id = z.agency_id AND c.measure = z.measure AND c.at IS NOT DISTINCT FROM z.at AND c.n = 0;
        DELETE FROM stats_counts c USING unnest(zero_stats) z
        WHERE c.day = z.day AND c.agency_id = z.agency_id AND c.measure = z.measure AND c.at IS NOT DISTINCT FROM z.at AND c.n = 0;
    END IF;
    IF cut > settled_until THEN
        WITH moved AS (
            DELETE FROM board_counts WHERE at > '-infinity' AND at < cut RETURNING agency_id, measure, at, n
        ), settled AS (
            INSERT INTO board_counts (agency_id, measure, at, n)
            SELECT agency_id, measure, '-infinity', sum(n) FROM moved GROUP BY 1, 2
            ON CONFLICT (agency_id, measure, at) DO UPDATE SET n = board_counts.n + excluded.n
        )
        SELECT max(at) INTO latest FROM moved;
        settled_until := greatest(settled_until, latest + interval '1 microsecond');
        WITH moved AS (
            DELETE FROM stats_counts WHERE at > '-infinity' AND at < cut RETURNING day, agency_id, measure, at, n
        ), settled AS (
            INSERT INTO stats_counts (day, agency_id, measure, at, n)
            SELECT day, agency_id, measure, '-infinity', sum(n) FROM moved GROUP BY 1, 2, 3
            ON CONFLICT (day, agency_id, measure, at) DO UPDATE SET n = stats_counts.n + excluded.n
        )
        SELECT max(at) INTO latest FROM moved;
        settled_until := greatest(settled_until, latest + interval '1 microsecond');
        UPDATE kept_counts_settled SET until = settled_until WHERE until <> settled_until;
    END IF;
END $$;

SELECT baton_fold_counts();
