-- A leaner transition. Measured with bench/index-costs (pgbench on Baton's acknowledge SQL and on the bare work,
-- each index of the tables a transition writes dropped in turn): tasks_lead_unacknowledged was the only index that
-- made every acknowledgement write new entries in all ten indexes of tasks — its key (ack_due_at) and predicate
-- (acknowledged_at) are what an acknowledgement changes, so PostgreSQL could never update the row in place (HOT).
-- Without it, 77–81% of acknowledgements were HOT (no index entry written) and the bare work's WAL fell from
-- about 2,050 to 1,765 bytes a transition. No read used it: the board and the pages count unacknowledged work
-- over a lead's open tasks, which tasks_lead_open_due and tasks_lead reach.
DROP INDEX IF EXISTS tasks_lead_unacknowledged;
-- Room on each page for the next version of a row, so that in-place update has somewhere to go (new pages only;
-- existing ones get it as they are rewritten).
ALTER TABLE tasks SET (fillfactor = 90);
