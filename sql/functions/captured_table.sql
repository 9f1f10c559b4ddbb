-- The session's table of changes captured for the commit about to be made in
-- this transaction (pg_temp.vsg_captured), created on first use; a capture
-- function calls it, as vsg's owner, before it stages a large statement's rows
-- there instead of in vsg.pending (sql/functions/write_capture.sql). Rows are
-- taken by the commit (vsg.take_captured), which reads them and marks them
-- taken in pg_temp.vsg_captured_taken (a row a table and take) rather than
-- deleting them; any a transaction leaves untaken are moved into vsg.pending
-- as it commits (vsg.flush_captured, a deferred trigger armed by a row in
-- pg_temp.vsg_captured_flush: once a transaction, and again after each time
-- it ran early, SET CONSTRAINTS ... IMMEDIATE), so that a change staged here
-- is never lost, whoever asked for staging. The tables
-- stay for the session and are emptied at each commit (ON COMMIT DELETE
-- ROWS): made and dropped in every transaction that staged instead, they
-- would cost ~3.6 ms a large commit, and on a server without autovacuum (or
-- in the embedded database) their catalog rows would pile up dead. False when
-- a table of that name belongs to another role (vsg.captured_own), or where
-- the flush's constraint is IMMEDIATE (it would run before the rows are
-- written): the capture then writes to vsg.pending as for any other
-- statement. A session whose tables were made by an earlier vsg keeps its
-- trigger, which calls vsg.flush_captured as it is now. (A session whose
-- staging table predates the marks gets them at its next staging; a marks
-- table of another role's is never read: vsg.captured_marks.)
CREATE OR REPLACE FUNCTION vsg.captured_table() RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  armed bigint;
BEGIN
  IF to_regclass('pg_temp.vsg_captured') IS NULL THEN
    CREATE TEMP TABLE vsg_captured (
      table_id int NOT NULL, seq bigint NOT NULL, key jsonb NOT NULL, before jsonb, after jsonb,
      author text DEFAULT current_setting('vsg.author', true), meta text DEFAULT current_setting('vsg.meta', true)
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE vsg_captured_flush (at int) ON COMMIT DELETE ROWS;
    CREATE CONSTRAINT TRIGGER vsg_flush AFTER INSERT ON pg_temp.vsg_captured_flush
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vsg.flush_captured();
  ELSIF NOT vsg.captured_own() THEN
    RETURN false;
  END IF;
  IF to_regclass('pg_temp.vsg_captured_taken') IS NULL THEN
    -- the marks (vsg.take_captured): table_id NULL for every table (vsg.flush_captured)
    CREATE TEMP TABLE vsg_captured_taken (table_id int, upto bigint NOT NULL) ON COMMIT DELETE ROWS;
  END IF;
  IF to_regclass('pg_temp.vsg_captured_packed') IS NULL THEN
    -- a large statement staged packed: its rows in vsg.packing_<seq> (vsg.take_packed)
    CREATE TEMP TABLE vsg_captured_packed (
      table_id int NOT NULL, seq bigint NOT NULL, rows bigint NOT NULL,
      author text DEFAULT current_setting('vsg.author', true), meta text DEFAULT current_setting('vsg.meta', true)
    ) ON COMMIT DELETE ROWS;
  END IF;
  -- (one row while its flush waits: the row is gone at the transaction's
  -- end; with the savepoint that inserted it, the rows staged under it with
  -- it; or when its flush runs before the end, SET CONSTRAINTS ...
  -- IMMEDIATE, which deletes it, so that the next statement staged arms a
  -- flush of its own)
  INSERT INTO pg_temp.vsg_captured_flush SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_temp.vsg_captured_flush);
  GET DIAGNOSTICS armed = ROW_COUNT;
  -- Gone already: the flush's constraint is IMMEDIATE in this transaction,
  -- and it ran as the row went in, before this statement's rows are written.
  -- Staged, they would wait for no flush: they go to vsg.pending instead.
  IF armed > 0 AND NOT EXISTS (SELECT 1 FROM pg_temp.vsg_captured_flush) THEN
    RETURN false;
  END IF;
  -- Whether this transaction staged anything, for the readers (vsg.take_captured,
  -- vsg.captured_keys, vsg.changed_tables), which leave the table alone
  -- otherwise: a transaction that touches a temporary table pays for emptying
  -- it at commit. (Transaction-local, and undone with a savepoint rolled back,
  -- as the rows are. Set by anyone else, a reader finds an empty table; unset,
  -- the rows are not taken, and the flush moves them to vsg.pending.)
  PERFORM set_config('vsg.staged', 'on', true);
  RETURN true;
END
$$;
