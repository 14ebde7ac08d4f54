-- The board's totals and settled rows are read from board_agency_counts (0020), no longer from board_counts by
-- agency: the index 0019 made for that read is only written now. Since 0022 includes the count in an index, no
-- update of a count in board_counts is a HOT update any more, so every index on the table takes a new entry for
-- every row the fold changes; one fewer is one fewer write per changed row.
DROP INDEX board_counts_summary;
