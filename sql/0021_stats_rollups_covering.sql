-- The statistics read their month and year sums from the index alone (issue #12). A year's statistics at 10 million
-- tasks read 157,000 rollup rows through the unique index and fetched each from the table: 158,750 pages in a
-- scattered order, 300 ms of the 1.3 s. With the count in the index too, the rows of a settled period (all visible)
-- come from its leaf pages in order. The fold's updates of a rollup's count then write its index entry anew; they
-- touch only the months and years with changes.
CREATE UNIQUE INDEX stats_rollups_key ON stats_rollups (grain, starts, agency_id, measure, at) INCLUDE (n) NULLS NOT DISTINCT;
ALTER TABLE stats_rollups DROP CONSTRAINT stats_rollups_grain_starts_agency_id_measure_at_key;
