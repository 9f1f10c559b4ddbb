-- Make table tid, a hash-distributed Citus table, capturable: its pending
-- table vsg.pending_<tid>, distributed by a column of the same type as the
-- table's distribution column and co-located with it, so that each of its
-- shards sits on the node of the table's shard of the same hash range. A
-- single-shard distributed table (no distribution column) gets a single-shard
-- pending table co-located with it, on the same node (its dist column NULL). Rows
-- never move between shards (Citus refuses to change a distribution column),
-- so every change of a key is captured on one shard, in order (seq, from the
-- node's own range of the sequence Citus gives every node); a shard moved by
-- Citus (citus_move_shard_placement, the rebalancer) takes its pending shard
-- and its triggers with it. Citus's catalog
-- and functions are reached through EXECUTE: this compiles where Citus is absent.
CREATE OR REPLACE FUNCTION vsg.dist_prepare(tid int) RETURNS regclass LANGUAGE plpgsql AS $$
DECLARE
  rel oid;
  typ text;
  method text;
  pend text := format('vsg.%I', 'pending_' || tid);
BEGIN
  SELECT t.relid INTO STRICT rel FROM vsg.tracked t WHERE t.id = tid;
  EXECUTE $q$SELECT p.partmethod::text FROM pg_catalog.pg_dist_partition p
    WHERE p.logicalrelid = $1 AND (p.partmethod = 'h' OR (p.partmethod = 'n' AND p.repmodel <> 't' AND p.colocationid <> 0))$q$ INTO method USING rel;
  IF method IS NULL THEN
    RAISE EXCEPTION 'vsg: table % is neither a hash-distributed nor a single-shard Citus table', tid USING ERRCODE = '55000';
  END IF;
  IF method = 'h' THEN
    EXECUTE $q$SELECT pg_catalog.format_type(a.atttypid, a.atttypmod)
      FROM pg_catalog.pg_dist_partition p
      JOIN pg_catalog.pg_attribute a ON a.attrelid = p.logicalrelid
       AND a.attname = pg_catalog.column_to_column_name(p.logicalrelid, p.partkey)
      WHERE p.logicalrelid = $1$q$ INTO typ USING rel;
  ELSE
    typ := 'text';
  END IF;
  EXECUTE format('CREATE TABLE %s (dist %s, seq bigserial, gnode int, gxn bigint, gstamp timestamptz,
    key jsonb NOT NULL, before jsonb, after jsonb, author text, meta text)', pend, typ);
  -- No key to index (every row is read once, by the commit that moves it), but
  -- the shard mover's logical replication needs a replica identity, or it
  -- refuses to move the table's shards with the application's.
  EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', pend);
  EXECUTE 'SELECT pg_catalog.create_distributed_table($1, $2, colocate_with => $3)'
    USING pend, CASE WHEN method = 'h' THEN 'dist' END, rel::regclass::text;
  RETURN pend::regclass;
END
$$;
