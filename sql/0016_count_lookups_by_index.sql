-- The kept counts' row triggers (0015) look up a task's plan, or update its cooperating parts, once per row
-- changed. PL/pgSQL keeps those queries' plans for the session, and a plan made while the tables were small
-- is a sequential scan: kept, it scans every plan or every part for each row a long statement changes (the
-- hash chain's trigger did exactly that, 0014). Their lookups always go by index.
ALTER FUNCTION baton_count_task_deleted() SET enable_seqscan = off;
ALTER FUNCTION baton_count_task_updated() SET enable_seqscan = off;
ALTER FUNCTION baton_count_part_deleted() SET enable_seqscan = off;
ALTER FUNCTION baton_count_part_updated() SET enable_seqscan = off;

-- An acknowledgement clears the limit to acknowledge as it sets acknowledged_at, so the acknowledgement's
-- own trigger (0015), which required that limit unchanged, never ran for a task that had one (every task
-- of a workflow with `acknowledge_within`): each went through the general trigger, which computes both
-- rows' slots. Only slot U reads acknowledged_at and ack_due_at, so a change of those two alone (the task
-- open, leaf and a 'task', nothing else a tally reads changed) takes the U row out at its old limit and
-- puts it back at its new one.
CREATE OR REPLACE FUNCTION baton_count_acknowledged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.acknowledged_at IS NULL THEN
        INSERT INTO task_count_changes VALUES (OLD.lead_id, 'U', OLD.ack_due_at, NULL, -1);
    END IF;
    IF NEW.acknowledged_at IS NULL THEN
        INSERT INTO task_count_changes VALUES (NEW.lead_id, 'U', NEW.ack_due_at, NULL, 1);
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER tasks_count_acknowledged ON tasks;
DROP TRIGGER tasks_count_updated ON tasks;
-- The condition is written twice, here and negated below, so each update runs at most one of the two.
CREATE TRIGGER tasks_count_acknowledged AFTER UPDATE ON tasks FOR EACH ROW
    WHEN (NEW.open AND NEW.leaf AND NEW.kind = 'task'
          AND ((OLD.acknowledged_at IS NULL) <> (NEW.acknowledged_at IS NULL) OR OLD.ack_due_at IS DISTINCT FROM NEW.ack_due_at)
          AND OLD.open = NEW.open AND OLD.lead_id IS NOT DISTINCT FROM NEW.lead_id AND OLD.due_at IS NOT DISTINCT FROM NEW.due_at
          AND (OLD.closed_at IS NULL) = (NEW.closed_at IS NULL)
          AND OLD.on_time IS NOT DISTINCT FROM NEW.on_time AND (OLD.pending ? 'difficulty') = (NEW.pending ? 'difficulty')
          AND OLD.leaf = NEW.leaf AND OLD.kind = NEW.kind AND OLD.plan_id = NEW.plan_id AND OLD.created_at = NEW.created_at)
    EXECUTE FUNCTION baton_count_acknowledged();
CREATE TRIGGER tasks_count_updated AFTER UPDATE ON tasks FOR EACH ROW
    WHEN ((OLD.open IS DISTINCT FROM NEW.open OR OLD.lead_id IS DISTINCT FROM NEW.lead_id
           OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.ack_due_at IS DISTINCT FROM NEW.ack_due_at
           OR (OLD.acknowledged_at IS NULL) <> (NEW.acknowledged_at IS NULL)
           OR (OLD.closed_at IS NULL) <> (NEW.closed_at IS NULL) OR OLD.on_time IS DISTINCT FROM NEW.on_time
           OR (OLD.pending ? 'difficulty') <> (NEW.pending ? 'difficulty')
           OR OLD.leaf IS DISTINCT FROM NEW.leaf OR OLD.kind IS DISTINCT FROM NEW.kind
           OR OLD.plan_id IS DISTINCT FROM NEW.plan_id OR OLD.created_at IS DISTINCT FROM NEW.created_at)
          AND NOT (NEW.open AND NEW.leaf AND NEW.kind = 'task'
               AND ((OLD.acknowledged_at IS NULL) <> (NEW.acknowledged_at IS NULL) OR OLD.ack_due_at IS DISTINCT FROM NEW.ack_due_at)
               AND OLD.open = NEW.open AND OLD.lead_id IS NOT DISTINCT FROM NEW.lead_id AND OLD.due_at IS NOT DISTINCT FROM NEW.due_at
               AND (OLD.closed_at IS NULL) = (NEW.closed_at IS NULL)
               AND OLD.on_time IS NOT DISTINCT FROM NEW.on_time AND (OLD.pending ? 'difficulty') = (NEW.pending ? 'difficulty')
               AND OLD.leaf = NEW.leaf AND OLD.kind = NEW.kind AND OLD.plan_id = NEW.plan_id AND OLD.created_at = NEW.created_at))
    EXECUTE FUNCTION baton_count_task_updated();
