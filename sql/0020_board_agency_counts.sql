-- One row per agency for the board's counts that no clock changes (issue #12). After 0017 and 0019 the national
-- board still added up about 356,000 kept rows at 10 million tasks — eight or so per agency: the totals (O+, U+,
-- C+), the closings (B…), the difficulties (D) and the settled instants (O, U, C at '-infinity') — before the
-- 138,000 instants of the next 7 days. Those rows only change when the fold changes them, so a statement trigger
-- on board_counts keeps their sums side by side, one column per measure, in board_agency_counts: the board reads
-- 50,000 rows for them and adds the instants and unfolded changes (`BoardColumn.kept`, `BoardColumn.settled`).
--
-- Every path that writes board_counts (the fold, its settle, the backfill) goes through the trigger, in the same
-- statement: the row never lags. `BatonStore.keptCountsDrift` checks it against board_counts.

CREATE TABLE board_agency_counts (
    agency_id bigint PRIMARY KEY,
    "O+"  bigint NOT NULL DEFAULT 0,   -- open, in all
    "U+"  bigint NOT NULL DEFAULT 0,   -- open and not acknowledged, in all
    "C+"  bigint NOT NULL DEFAULT 0,   -- cooperating parts owed, in all
    "O"   bigint NOT NULL DEFAULT 0,   -- open, settled (due before kept_counts_settled.until)
    "U"   bigint NOT NULL DEFAULT 0,   -- not acknowledged past a settled limit
    "C"   bigint NOT NULL DEFAULT 0,   -- cooperating parts owed past a settled due time
    "D"   bigint NOT NULL DEFAULT 0,
    "Bc-" bigint NOT NULL DEFAULT 0,
    "Bct" bigint NOT NULL DEFAULT 0,
    "Bcf" bigint NOT NULL DEFAULT 0,
    "B-t" bigint NOT NULL DEFAULT 0,
    "B-f" bigint NOT NULL DEFAULT 0
);

-- Adds rows (agency, measure, n) of board_counts to their agencies' sums.
-- Whether a row of board_counts is one board_agency_counts sums: settled, or of a measure without an instant (an
-- open task without a deadline or a limit to acknowledge has its O or U row at NULL: only the totals count it).
CREATE FUNCTION baton_board_settled(measure text, at timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT at = '-infinity' OR (at IS NULL AND measure NOT IN ('O', 'U', 'C'))
$$;

-- A measure without a column is an error, never a count lost.
CREATE FUNCTION baton_board_agency_add(agencies bigint[], measures text[], ns bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    unknown text := (SELECT m FROM unnest(measures) m
                     WHERE m <> ALL (ARRAY['O+', 'U+', 'C+', 'O', 'U', 'C', 'D', 'Bc-', 'Bct', 'Bcf', 'B-t', 'B-f']) LIMIT 1);
BEGIN
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'board_agency_counts has no column for measure %', unknown;
    END IF;
    INSERT INTO board_agency_counts AS s (agency_id, "O+", "U+", "C+", "O", "U", "C", "D", "Bc-", "Bct", "Bcf", "B-t", "B-f")
    SELECT a,
           coalesce(sum(n) FILTER (WHERE m = 'O+'), 0), coalesce(sum(n) FILTER (WHERE m = 'U+'), 0),
           coalesce(sum(n) FILTER (WHERE m = 'C+'), 0), coalesce(sum(n) FILTER (WHERE m = 'O'), 0),
           coalesce(sum(n) FILTER (WHERE m = 'U'), 0), coalesce(sum(n) FILTER (WHERE m = 'C'), 0),
           coalesce(sum(n) FILTER (WHERE m = 'D'), 0), coalesce(sum(n) FILTER (WHERE m = 'Bc-'), 0),
           coalesce(sum(n) FILTER (WHERE m = 'Bct'), 0), coalesce(sum(n) FILTER (WHERE m = 'Bcf'), 0),
           coalesce(sum(n) FILTER (WHERE m = 'B-t'), 0), coalesce(sum(n) FILTER (WHERE m = 'B-f'), 0)
    FROM unnest(agencies, measures, ns) x(a, m, n)
    GROUP BY a
    ON CONFLICT (agency_id) DO UPDATE SET
        "O+" = s."O+" + excluded."O+", "U+" = s."U+" + excluded."U+", "C+" = s."C+" + excluded."C+",
        "O" = s."O" + excluded."O", "U" = s."U" + excluded."U", "C" = s."C" + excluded."C", "D" = s."D" + excluded."D",
        "Bc-" = s."Bc-" + excluded."Bc-", "Bct" = s."Bct" + excluded."Bct", "Bcf" = s."Bcf" + excluded."Bcf",
        "B-t" = s."B-t" + excluded."B-t", "B-f" = s."B-f" + excluded."B-f";
END $$;

-- The triggers: what a statement inserted, updated (new minus old) or deleted, among the rows summed. (One function per event: a trigger names only the transition tables its event has.)
CREATE FUNCTION baton_board_agency_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM baton_board_agency_add(array_agg(agency_id), array_agg(measure), array_agg(n))
    FROM inserted WHERE baton_board_settled(measure, at) HAVING count(*) > 0;
    RETURN NULL;
END $$;
CREATE FUNCTION baton_board_agency_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM baton_board_agency_add(array_agg(agency_id), array_agg(measure), array_agg(n))
    FROM (SELECT agency_id, measure, n FROM after WHERE baton_board_settled(measure, at)
          UNION ALL SELECT agency_id, measure, -n FROM before WHERE baton_board_settled(measure, at)) d
    HAVING count(*) > 0;
    RETURN NULL;
END $$;
CREATE FUNCTION baton_board_agency_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM baton_board_agency_add(array_agg(agency_id), array_agg(measure), array_agg(-n))
    FROM deleted WHERE baton_board_settled(measure, at) HAVING count(*) > 0;
    RETURN NULL;
END $$;
CREATE TRIGGER board_counts_agency_inserted AFTER INSERT ON board_counts
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION baton_board_agency_inserted();
CREATE TRIGGER board_counts_agency_updated AFTER UPDATE ON board_counts
    REFERENCING OLD TABLE AS before NEW TABLE AS after FOR EACH STATEMENT EXECUTE FUNCTION baton_board_agency_updated();
CREATE TRIGGER board_counts_agency_deleted AFTER DELETE ON board_counts
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION baton_board_agency_deleted();

-- What is there already.
SELECT baton_board_agency_add(array_agg(agency_id), array_agg(measure), array_agg(n))
FROM board_counts WHERE baton_board_settled(measure, at) HAVING count(*) > 0;
