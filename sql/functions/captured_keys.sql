-- The keys of table tid whose changes this transaction's capture staged for
-- the commit being made (vsg.captured_table): with the transaction's pending
-- rows, the keys it changed. Read under the calling statement's snapshot, so
-- that a statement that also takes them (vsg.take_captured) sees them all.
CREATE OR REPLACE FUNCTION vsg.captured_keys(tid int) RETURNS SETOF jsonb
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF current_setting('vsg.staged', true) = 'on' AND vsg.captured_own() THEN
    RETURN QUERY SELECT c.key FROM pg_temp.vsg_captured c WHERE c.table_id = tid;
  END IF;
END
$$;
