-- At the commit of a transaction that staged captured changes
-- (vsg.captured_table): whatever no vsg commit took goes to vsg.pending, under
-- its capture's own sequence number, so that it keeps its place among the
-- transaction's other uncommitted changes. A vsg commit takes its rows before
-- this runs; this fires for a transaction that set vsg.stage itself.
CREATE OR REPLACE FUNCTION vsg.flush_captured() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF vsg.captured_own() THEN
    INSERT INTO vsg.pending (seq, table_id, key, before, after, author, meta)
    SELECT c.seq, c.table_id, c.key, c.before, c.after, c.author, c.meta FROM pg_temp.vsg_captured c ORDER BY c.seq;
    DELETE FROM pg_temp.vsg_captured;
  END IF;
  RETURN NULL;
END
$$;
