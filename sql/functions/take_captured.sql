-- The changes of table tid that this transaction's capture staged for the
-- commit being made (vsg.captured_table), taken when `take`: returned and
-- deleted, as sql/commit/create.sql deletes the pending rows it takes. None
-- when nothing was staged (the usual case: only a large statement of a
-- commit's own SQL is).
CREATE OR REPLACE FUNCTION vsg.take_captured(tid int, take boolean)
  RETURNS TABLE (seq bigint, key jsonb, before jsonb, after jsonb, author text, meta text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF take AND current_setting('vsg.staged', true) = 'on' AND vsg.captured_own() THEN
    RETURN QUERY DELETE FROM pg_temp.vsg_captured c WHERE c.table_id = tid
      RETURNING c.seq, c.key, c.before, c.after, c.author, c.meta;
  END IF;
END
$$;
