-- Run the SQL of a commit (one or more statements) inside the statement that
-- locks its table (sql/tables/lock_shared.sql $5), saving a round trip
-- (issue 13). Only for SQL that parsed as plain INSERT, UPDATE, DELETE, MERGE
-- and SELECT statements (ops/commit.ts asks src/db/statements.ts), which run
-- here exactly as they would on their own; anything else is sent by itself.
-- An error keeps PostgreSQL's report: its position is then the internal
-- position into this text, which ops/commit.ts reports as the position.
CREATE OR REPLACE FUNCTION vsg.run_statement(statement text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  EXECUTE statement;
  RETURN true;
END
$$;
