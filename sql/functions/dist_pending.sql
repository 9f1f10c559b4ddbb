-- The pending table of table tid when it is a Citus distributed table
-- (vsg.pending_<tid>, distributed by the table's distribution column and
-- co-located with it: its shards sit beside the table's, where the capture
-- triggers on the shards write; sql/functions/write_dist_capture.sql), NULL
-- for any other table. vsg.gather_pending moves its rows into vsg.pending.
CREATE OR REPLACE FUNCTION vsg.dist_pending(tid int) RETURNS regclass LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.to_regclass(format('vsg.%I', 'pending_' || tid))
$$;
