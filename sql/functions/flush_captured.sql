-- At the commit of a transaction that staged captured changes
-- (vsg.captured_table): whatever no vsg commit took goes to vsg.pending, under
-- its capture's own sequence number, so that it keeps its place among the
-- transaction's other uncommitted changes. A vsg commit takes its rows before
-- this runs (and marks them taken: vsg.take_captured); this fires for a
-- transaction that set vsg.stage itself. It may run before the transaction's
-- end (SET CONSTRAINTS ... IMMEDIATE): the rows moved are then marked taken
-- for every table (a mark whose table_id is NULL, the session's last number
-- drawn, below every row staged later), and the row of
-- pg_temp.vsg_captured_flush that armed it is deleted, so that the next
-- statement staged arms it again (vsg.captured_table). A large statement staged
-- packed (vsg.packing_<n>, sql/functions/write_capture.sql) goes to
-- vsg.pending as change rows, and its copy is dropped (vsg.unpack_staged).
CREATE OR REPLACE FUNCTION vsg.flush_captured() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  every bigint;
  ids int[];
  ups bigint[];
  n bigint;
BEGIN
  IF NOT vsg.captured_own() THEN
    RETURN NULL;
  END IF;
  -- (the row that armed this: see above)
  DELETE FROM pg_temp.vsg_captured_flush;
  -- a large statement staged packed that no commit took: its rows as captured
  -- changes, the copy dropped
  PERFORM vsg.unpack_staged(NULL, true);
  IF NOT vsg.captured_marks() THEN
    INSERT INTO vsg.pending (seq, table_id, key, before, after, author, meta)
    SELECT c.seq, c.table_id, c.key, c.before, c.after, c.author, c.meta FROM pg_temp.vsg_captured c ORDER BY c.seq;
    DELETE FROM pg_temp.vsg_captured;
    RETURN NULL;
  END IF;
  -- each table's mark, and the mark of every table, read first: each row is
  -- then compared with a handful of values, not with a subquery of its own
  every := coalesce((SELECT max(m.upto) FROM pg_temp.vsg_captured_taken m WHERE m.table_id IS NULL), 0);
  SELECT array_agg(s.table_id), array_agg(s.upto) INTO ids, ups
  FROM (SELECT m.table_id, max(m.upto) AS upto FROM pg_temp.vsg_captured_taken m WHERE m.table_id IS NOT NULL GROUP BY m.table_id) s;
  INSERT INTO vsg.pending (seq, table_id, key, before, after, author, meta)
  SELECT c.seq, c.table_id, c.key, c.before, c.after, c.author, c.meta
  FROM pg_temp.vsg_captured c LEFT JOIN unnest(ids, ups) AS m(table_id, upto) ON m.table_id = c.table_id
  WHERE c.seq > greatest(every, m.upto)
  ORDER BY c.seq;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    INSERT INTO pg_temp.vsg_captured_taken (table_id, upto) VALUES (NULL, currval('vsg.pending_seq_seq'));
  END IF;
  RETURN NULL;
END
$$;
