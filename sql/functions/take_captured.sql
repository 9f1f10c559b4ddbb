-- The changes of table tid that this transaction's capture staged for the
-- commit being made (vsg.captured_table), taken when `take`: returned, and
-- marked taken in pg_temp.vsg_captured_taken, as sql/commit/create.sql deletes
-- the pending rows it takes. None when nothing was staged (the usual case:
-- only a large statement of a commit's own SQL is).
-- A mark is one row: the table, and the session's last number drawn from
-- vsg.pending's sequence. Every row staged so far bears that number or a lower
-- one, every row staged later a higher one (a staged statement draws its
-- number before it writes). Every reader of the staged rows (a second take,
-- vsg.captured_keys, vsg.changed_tables, vsg.flush_captured) leaves out those
-- at or below their table's mark. A mark is a row of the transaction: it goes
-- with a savepoint rolled back, as the rows do. Marking spares deleting every
-- row taken (docs/performance.md, "Large commits"). Where the marks cannot be
-- trusted (a table of that name made by another role: vsg.captured_marks) the
-- rows taken are deleted.
-- Only a role that may delete from vsg.pending takes (vsg.may_take).
CREATE OR REPLACE FUNCTION vsg.take_captured(tid int, take boolean)
  RETURNS TABLE (seq bigint, key jsonb, before jsonb, after jsonb, author text, meta text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  upto bigint;
  n bigint;
BEGIN
  IF take AND current_setting('vsg.staged', true) = 'on' AND vsg.captured_own() THEN
    PERFORM vsg.may_take(tid);
    -- a large statement staged packed that the commit does not keep packed
    -- (vsg.take_packed, asked first): its rows, as change rows
    RETURN QUERY SELECT u.seq, u.key, u.before, u.after, u.author, u.meta FROM vsg.unpack_staged(tid, false) u;
    IF NOT vsg.captured_marks() THEN
      RETURN QUERY DELETE FROM pg_temp.vsg_captured c WHERE c.table_id = tid
        RETURNING c.seq, c.key, c.before, c.after, c.author, c.meta;
      RETURN;
    END IF;
    upto := vsg.captured_mark(tid);
    RETURN QUERY SELECT c.seq, c.key, c.before, c.after, c.author, c.meta
      FROM pg_temp.vsg_captured c WHERE c.table_id = tid AND c.seq > upto;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
      INSERT INTO pg_temp.vsg_captured_taken (table_id, upto) VALUES (tid, currval('vsg.pending_seq_seq'));
    END IF;
  END IF;
END
$$;
