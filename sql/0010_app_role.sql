-- The application's role: `baton serve` connects as a member of `baton_app`, never as the role that
-- migrates (the owner of the tables). It reads and writes what the service needs, and it can add
-- to the history but not change it: no UPDATE, DELETE or TRUNCATE on task_events, and the
-- migrations' own record is read-only. The owner keeps every right; the trigger that refuses
-- UPDATE and DELETE on events stays as a second guard.
--
-- A role belongs to the whole cluster: created once, here if the migrating role may create roles
-- (otherwise an administrator creates it first: CREATE ROLE baton_app NOLOGIN).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'baton_app') THEN
        CREATE ROLE baton_app NOLOGIN;
    END IF;
END $$;

GRANT USAGE ON SCHEMA public TO baton_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO baton_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO baton_app;
REVOKE UPDATE, DELETE, TRUNCATE ON task_events FROM baton_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM baton_app;

-- Tables and sequences of later migrations get the same rights; a later migration that adds
-- another append-only table revokes on it, as above.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO baton_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO baton_app;
