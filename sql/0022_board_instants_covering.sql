-- The board reads the instants of the next 7 days from the index alone (issue #12). At 10 million tasks they are
-- about 138,000 rows; fetched from the table one by one they took 300 ms of a national board, from the index's leaf
-- pages in order 30 ms. The fold's settle, which deletes the instants more than an hour old, uses the same index.
CREATE INDEX board_counts_instants ON board_counts (at) INCLUDE (agency_id, measure, n) WHERE at > '-infinity';
DROP INDEX board_counts_exact;
