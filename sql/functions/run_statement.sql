-- Run the SQL of a commit (one or more statements) inside the statement that
-- locks its table (sql/tables/lock_shared.sql $5), saving a round trip
-- (issue 13). Only for SQL that parsed as plain INSERT, UPDATE, DELETE, MERGE
-- and SELECT statements (ops/commit.ts asks src/db/statements.ts), which run
-- here exactly as they would on their own; anything else is sent by itself.
-- An error keeps PostgreSQL's report: its position is then the internal
-- position into this text, which ops/commit.ts reports as the position.
-- While it runs, vsg.stage names the table (tid) the commit is for: the
-- table's capture stages a large statement's rows for the commit in the
-- session (vsg.captured_table) instead of writing them to vsg.pending; SQL
-- sent on its own is staged for in the same way (sql/tables/lock_shared.sql).
-- No tid: a commit that names no table, made of every table the SQL changes
-- (vsg.changed_tables), for which every table's large statements are staged.
-- The captures then list the tables they ran for in vsg.touched (vsg.touch),
-- started here (vsg.touch_start).
DROP FUNCTION IF EXISTS vsg.run_statement(text);
CREATE OR REPLACE FUNCTION vsg.run_statement(statement text, tid int) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF tid IS NULL THEN
    PERFORM vsg.touch_start();
  ELSE
    PERFORM set_config('vsg.stage', ',' || tid || ',', true);
  END IF;
  EXECUTE statement;
  PERFORM set_config('vsg.stage', '', true);
  RETURN true;
END
$$;
