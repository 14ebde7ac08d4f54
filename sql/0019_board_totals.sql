-- The board's totals without their instants (issue #12). Settled (0017), the board's kept rows still held one per
-- agency and instant of the open work not yet due: at 10 million tasks 609,375 of 812,621 rows, all read by the
-- national board although only those due within the next 7 days can change a column. So each measure with an
-- instant (O open, U not acknowledged, C a cooperating part owed) also has its total per agency (measure 'O+', 'U+',
-- 'C+', no instant), written by the fold from the same changes; a board reads the totals, the settled rows, and
-- only the instants up to 7 days ahead (`BatonStore.keptBoardRows`), each through its own index.

INSERT INTO board_counts (agency_id, measure, at, n)
SELECT agency_id, measure || '+', NULL, sum(n) FROM board_counts WHERE measure IN ('O', 'U', 'C') GROUP BY 1, 2;

-- What a board reads besides the instants of the next days: totals, measures without an instant, settled rows.
CREATE INDEX board_counts_summary ON board_counts (agency_id) WHERE at IS NULL OR at = '-infinity';

-- As in 0018, with the totals folded beside the instants.
CREATE OR REPLACE FUNCTION baton_fold_counts() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    settled_until timestamptz := (SELECT s.until FROM kept_counts_settled s FOR UPDATE);
    cut timestamptz := date_trunc('hour', baton_now()) - interval '1 hour';
    zero_board baton_tally[];
    zero_stats baton_tally[];
    zero_rollups baton_tally[];
    latest timestamptz;
BEGIN
    IF EXISTS (SELECT 1 FROM task_count_changes) THEN
        WITH d AS (
            DELETE FROM task_count_changes
            RETURNING agency_id, measure, CASE WHEN at < settled_until THEN '-infinity' ELSE at END AS at, day, n
        ), b AS (
            INSERT INTO board_counts (agency_id, measure, at, n)
            SELECT agency_id, measure, at, sum(n)
            FROM (SELECT agency_id, measure, at, n FROM d WHERE day IS NULL
                  UNION ALL SELECT agency_id, measure || '+', NULL, n FROM d WHERE day IS NULL AND measure IN ('O', 'U', 'C')) x
            GROUP BY 1, 2, 3
            ON CONFLICT (agency_id, measure, at) DO UPDATE SET n = board_counts.n + excluded.n
            RETURNING agency_id, measure, at, n
        ), s AS (
            INSERT INTO stats_counts (day, agency_id, measure, at, n)
            SELECT day, agency_id, measure, at, sum(n) FROM d WHERE day IS NOT NULL GROUP BY 1, 2, 3, 4
            ON CONFLICT (day, agency_id, measure, at) DO UPDATE SET n = stats_counts.n + excluded.n
            RETURNING day, agency_id, measure, at, n
        ), r AS (
            INSERT INTO stats_rollups (grain, starts, agency_id, measure, at, n)
            SELECT g.grain, baton_grain_start(g.grain, d.day), d.agency_id, d.measure, d.at, sum(d.n)
            FROM d CROSS JOIN (VALUES ('m'::"char"), ('y'::"char")) g(grain) WHERE d.day IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT (grain, starts, agency_id, measure, at) DO UPDATE SET n = stats_rollups.n + excluded.n
            RETURNING grain, starts, agency_id, measure, at, n
        )
        SELECT (SELECT array_agg(ROW(agency_id, measure, at, NULL)::baton_tally) FROM b WHERE n = 0),
               (SELECT array_agg(ROW(agency_id, measure, at, day)::baton_tally) FROM s WHERE n = 0),
               (SELECT array_agg(ROW(agency_id, grain::text || measure, at, starts)::baton_tally) FROM r WHERE n = 0)
        INTO zero_board, zero_stats, zero_rollups;
        DELETE FROM board_counts c USING unnest(zero_board) z
        WHERE c.agency_id = z.agency_id AND c.measure = z.measure AND c.at IS NOT DISTINCT FROM z.at AND c.n = 0;
        DELETE FROM stats_counts c USING unnest(zero_stats) z
        WHERE c.day = z.day AND c.agency_id = z.agency_id AND c.measure = z.measure AND c.at IS NOT DISTINCT FROM z.at AND c.n = 0;
        DELETE FROM stats_rollups c USING unnest(zero_rollups) z
        WHERE c.grain = left(z.measure, 1)::"char" AND c.starts = z.day AND c.agency_id = z.agency_id
          AND c.measure = substr(z.measure, 2) AND c.at IS NOT DISTINCT FROM z.at AND c.n = 0;
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
        WITH moved AS (
            DELETE FROM stats_rollups WHERE at > '-infinity' AND at < cut RETURNING grain, starts, agency_id, measure, at, n
        ), settled AS (
            INSERT INTO stats_rollups (grain, starts, agency_id, measure, at, n)
            SELECT grain, starts, agency_id, measure, '-infinity', sum(n) FROM moved GROUP BY 1, 2, 3, 4
            ON CONFLICT (grain, starts, agency_id, measure, at) DO UPDATE SET n = stats_rollups.n + excluded.n
        )
        SELECT max(at) INTO latest FROM moved;
        settled_until := greatest(settled_until, latest + interval '1 microsecond');
        UPDATE kept_counts_settled SET until = settled_until WHERE until <> settled_until;
    END IF;
END $$;
