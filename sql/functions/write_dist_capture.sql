--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- (Re)write the capture function of table tid, a hash-distributed or
-- single-shard Citus table, for its columns as they are now. Citus runs it on the workers, in
-- the triggers of each shard (vsg.capture_triggers), where none of vsg's
-- tables exists: it reads only the catalog that Citus keeps on every node
-- (pg_dist_shard) and writes the co-located shard of the table's pending table
-- (vsg.dist_pending) on its own node, as a plain local table (a write to the
-- distributed pending table itself would be a distributed query from a shard,
-- which fails the application's statement). Each row carries Citus's
-- distributed transaction (get_current_transaction_id()), by which
-- vsg.gather_pending knows the rows of vsg's own transaction. Nothing in it
-- may fail an application's write: a shard it cannot place (the table
-- itself, or a shard whose pending shard is not on this node) records
-- nothing, and any error is turned into a WARNING (the change goes
-- unrecorded; docs/scaling-out.md). On the coordinator the table itself
-- fires only for TRUNCATE (Citus gives the shards no TRUNCATE trigger): its
-- rows are read through Citus into vsg.pending, which is there.
-- Returns the function's name.
CREATE OR REPLACE FUNCTION vsg.write_dist_capture(tid int) RETURNS text LANGUAGE plpgsql AS $write$
DECLARE
  rel oid;
  qrel text;
  k text;
  img text;
  dcol text;
  cols text[];
  body text;
  fname text := vsg.capture_function(tid);
BEGIN
  SELECT relid, vsg.key_expr(key_columns, 'r') INTO rel, k FROM vsg.tracked WHERE id = tid;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'vsg: no tracked table %', tid;
  END IF;
  -- (the table's own name, which Citus's shell table gives on every node)
  qrel := format('%I.%I', (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = rel),
                 (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = rel));
  -- (none for a single-shard table: its rows go to the one pending shard, their dist NULL)
  EXECUTE 'SELECT CASE WHEN partmethod = ''h'' THEN pg_catalog.column_to_column_name(logicalrelid, partkey) END FROM pg_catalog.pg_dist_partition WHERE logicalrelid = $1'
    INTO dcol USING rel;
  img := vsg.image_expr(rel, 'r');
  SELECT array_agg(format('%I %s', attname, pg_catalog.format_type(atttypid, atttypmod)) ORDER BY attnum) INTO cols
  FROM pg_catalog.pg_attribute WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped;
  body := format($src$
DECLARE
  pend text;
  g record;
  img text := %4$L;
  q text;
  saved text[];
BEGIN
  IF TG_RELID = pg_catalog.to_regclass(%1$L) THEN
    -- the table itself, for a TRUNCATE about to empty every shard: on the
    -- coordinator, its rows go to vsg.pending; on a worker (where an application
    -- may run it), to the pending table, which Citus writes shard by shard
    saved := vsg.canonical_output();
    IF TG_OP = 'TRUNCATE' AND pg_catalog.to_regclass('vsg.pending') IS NOT NULL THEN
      EXECUTE format('INSERT INTO vsg.pending (table_id, key, before, after) SELECT $1, %%s, %%s, NULL FROM %%s r', %3$L, vsg.image_expr(TG_RELID, 'r'), TG_RELID::regclass) USING %2$s;
    ELSIF TG_OP = 'TRUNCATE' AND pg_catalog.to_regclass('vsg.pending_%2$s') IS NOT NULL THEN
      g := pg_catalog.get_current_transaction_id();
      EXECUTE format($q$INSERT INTO vsg.pending_%2$s (dist, seq, gnode, gxn, gstamp, key, before, after, author, meta)
        SELECT %5$s, nextval('vsg.pending_%2$s_seq_seq'), $1, $2, $3, %%s, %%s, NULL, $4, $5 FROM %%s r$q$, %3$L, vsg.image_expr(TG_RELID, 'r'), TG_RELID::regclass)
        USING g.initiator_node_identifier, g.transaction_number, g.transaction_stamp,
              pg_catalog.current_setting('vsg.author', true), pg_catalog.current_setting('vsg.meta', true);
    END IF;
    PERFORM vsg.restore_output(saved);
    RETURN NULL;
  END IF;
  -- the pending shard of the same hash range, on this node: found in Citus's
  -- catalog once a session (this shard's oid names it; a moved shard is another
  -- relation), then kept in a setting of the session
  pend := pg_catalog.current_setting('vsg.capture_%2$s_' || TG_RELID::oid, true);
  IF pend IS NULL OR pend = '' OR pg_catalog.to_regclass(pend) IS NULL THEN
    SELECT format('vsg.%%I', 'pending_%2$s_' || p.shardid) INTO pend
    FROM pg_catalog.pg_dist_shard s
    JOIN pg_catalog.pg_dist_shard p ON p.logicalrelid = pg_catalog.to_regclass('vsg.pending_%2$s') AND p.shardminvalue IS NOT DISTINCT FROM s.shardminvalue
    WHERE s.logicalrelid = pg_catalog.to_regclass(%1$L) AND s.shardid = (pg_catalog.regexp_match(TG_TABLE_NAME, '_([0-9]+)$'))[1]::bigint;
    IF pend IS NULL OR pg_catalog.to_regclass(pend) IS NULL THEN
      RETURN NULL;
    END IF;
    PERFORM pg_catalog.set_config('vsg.capture_%2$s_' || TG_RELID::oid, pend, false);
  END IF;
  g := pg_catalog.get_current_transaction_id();
  -- the columns as this function was written for, else the image from the catalog
  IF (SELECT array_agg(format('%%I %%s', attname, pg_catalog.format_type(atttypid, atttypmod)) ORDER BY attnum)
      FROM pg_catalog.pg_attribute WHERE attrelid = TG_RELID AND attnum > 0 AND NOT attisdropped) IS DISTINCT FROM %6$L::text[] THEN
    img := vsg.image_expr(TG_RELID, 'r');
    saved := vsg.canonical_output();
  END IF;
  IF TG_OP = 'UPDATE' THEN
    q := format($q$INSERT INTO %%1$s (dist, seq, gnode, gxn, gstamp, key, before, after, author, meta)
      SELECT coalesce(o.d, n.d), nextval('vsg.pending_%2$s_seq_seq'), $1, $2, $3, coalesce(o.k, n.k), o.i, n.i, $4, $5
      FROM (SELECT %5$s AS d, %%2$s AS k, %%3$s AS i FROM vsg_old r) o
      FULL JOIN (SELECT %5$s AS d, %%2$s AS k, %%3$s AS i FROM vsg_new r) n ON o.k = n.k
      WHERE o.i IS DISTINCT FROM n.i$q$, pend, %3$L, img);
  ELSIF TG_OP = 'INSERT' THEN
    q := format($q$INSERT INTO %%1$s (dist, seq, gnode, gxn, gstamp, key, before, after, author, meta)
      SELECT %5$s, nextval('vsg.pending_%2$s_seq_seq'), $1, $2, $3, %%2$s, NULL, %%3$s, $4, $5 FROM vsg_new r$q$, pend, %3$L, img);
  ELSIF TG_OP = 'DELETE' THEN
    q := format($q$INSERT INTO %%1$s (dist, seq, gnode, gxn, gstamp, key, before, after, author, meta)
      SELECT %5$s, nextval('vsg.pending_%2$s_seq_seq'), $1, $2, $3, %%2$s, %%3$s, NULL, $4, $5 FROM vsg_old r$q$, pend, %3$L, img);
  ELSE
    -- a TRUNCATE of one shard by hand: its rows go as deletes
    q := format($q$INSERT INTO %%1$s (dist, seq, gnode, gxn, gstamp, key, before, after, author, meta)
      SELECT %5$s, nextval('vsg.pending_%2$s_seq_seq'), $1, $2, $3, %%2$s, %%3$s, NULL, $4, $5 FROM %%4$s r$q$, pend, %3$L, img, TG_RELID::regclass);
  END IF;
  -- (an author and metadata the application set with SET LOCAL reach the workers only where
  -- Citus propagates them: citus.propagate_set_commands = 'local')
  EXECUTE q USING g.initiator_node_identifier, g.transaction_number, g.transaction_stamp,
    pg_catalog.current_setting('vsg.author', true), pg_catalog.current_setting('vsg.meta', true);
  IF saved IS NOT NULL THEN
    PERFORM vsg.restore_output(saved);
  END IF;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'vsg: a change to %% was not recorded: %%', %1$L, SQLERRM;
  RETURN NULL;
END
$src$, qrel, tid, k, img, CASE WHEN dcol IS NULL THEN 'NULL' ELSE format('r.%I', dcol) END, cols);
  RETURN vsg.create_capture(fname, rel, body);
END
$write$;
