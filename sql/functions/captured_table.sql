-- The session's table of changes captured for the commit about to be made in
-- this transaction (pg_temp.vsg_captured), created on first use; a capture
-- function calls it, as vsg's owner, before it stages a large statement's rows
-- there instead of in vsg.pending (sql/functions/write_capture.sql). Rows are
-- taken by the commit (vsg.take_captured); any a transaction leaves are moved
-- into vsg.pending as it commits (vsg.flush_captured, a deferred trigger), so
-- that a change staged here is never lost, whoever asked for staging. False
-- when a table of that name belongs to another role (vsg.captured_own): the
-- capture then writes to vsg.pending as for any other statement.
CREATE OR REPLACE FUNCTION vsg.captured_table() RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF to_regclass('pg_temp.vsg_captured') IS NOT NULL THEN
    RETURN vsg.captured_own();
  ELSE
    CREATE TEMP TABLE vsg_captured (
      table_id int NOT NULL, seq bigint NOT NULL, key jsonb NOT NULL, before jsonb, after jsonb,
      author text DEFAULT current_setting('vsg.author', true), meta text DEFAULT current_setting('vsg.meta', true)
    ) ON COMMIT DROP;
    CREATE TEMP TABLE vsg_captured_flush (at int) ON COMMIT DROP;
    CREATE CONSTRAINT TRIGGER vsg_flush AFTER INSERT ON pg_temp.vsg_captured_flush
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vsg.flush_captured();
    INSERT INTO pg_temp.vsg_captured_flush VALUES (1);
    RETURN true;
  END IF;
END
$$;
