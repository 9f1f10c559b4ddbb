-- The keys of table tid whose changes this transaction's capture staged for
-- the commit being made (vsg.captured_table) and no commit took yet (the marks
-- of vsg.take_captured), and of a large statement staged packed
-- (vsg.packing_<n>): with the transaction's pending rows, the keys it
-- changed. Read under the calling statement's snapshot, so that a statement
-- that also takes them (vsg.take_captured) sees them all.
CREATE OR REPLACE FUNCTION vsg.captured_keys(tid int) RETURNS SETOF jsonb
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  upto bigint := 0;
BEGIN
  IF current_setting('vsg.staged', true) = 'on' AND vsg.captured_own() THEN
    IF vsg.captured_marks() THEN
      upto := vsg.captured_mark(tid);
    END IF;
    RETURN QUERY SELECT c.key FROM pg_temp.vsg_captured c WHERE c.table_id = tid AND c.seq > upto;
    IF vsg.own_temp('vsg_captured_packed') THEN
      RETURN QUERY SELECT i.key FROM pg_temp.vsg_captured_packed p
        CROSS JOIN LATERAL vsg.packed_images(to_regclass(format('vsg.%I', 'packing_' || p.seq)),
                                             (SELECT t.key_columns FROM vsg.tracked t WHERE t.id = tid), false) i
        WHERE p.table_id = tid;
    END IF;
  END IF;
END
$$;
