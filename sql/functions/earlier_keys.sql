-- Whether another writer's uncommitted change in vsg.pending touches a key
-- that this transaction changed in table tid (in vsg.pending, or staged in
-- the session: vsg.captured_keys): those are recorded first, as their own
-- commit (sql/commit/create.sql, append.sql, which look for other writers'
-- rows first, with two index probes, and call this only when there are any).
-- Up to 100 keys of this transaction's are looked up one by one in
-- pending_key (table_id, key), so that a small commit's cost does not follow
-- the other writers' rows: reading every one of them costs a one-row commit
-- ~5 ms beside 20,000 rows of another writer's. Seq scans are off for
-- that: statistics that say vsg.pending is small make a scan look cheaper.
-- More keys than that, both sides are joined by hashing, with nested loops
-- and merge joins off: vsg.pending's statistics are those of its last ANALYZE
-- (autovacuum may be off, and is absent in the embedded database), so both
-- sides are often estimated at a few rows while they hold thousands; a nested
-- loop over them compares every pair of keys (20,000 changed rows against
-- 4,446 rows of other writers took 18 s), and a merge join sorts jsonb keys.
-- A hash join costs each side's rows once.
CREATE OR REPLACE FUNCTION vsg.earlier_keys(tid int) RETURNS boolean LANGUAGE plpgsql
  SET enable_nestloop = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
  few jsonb[];
BEGIN
  SELECT array_agg(s.key) INTO few
  FROM (SELECT q.key FROM vsg.pending q WHERE q.table_id = tid AND q.xid = txid_current()
        UNION ALL SELECT vsg.captured_keys(tid) LIMIT 101) s;
  IF few IS NULL THEN
    RETURN false;
  END IF;
  IF cardinality(few) <= 100 THEN
    RETURN EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = tid AND p.key = ANY (few) AND p.xid <> txid_current());
  END IF;
  RETURN EXISTS (SELECT 1 FROM vsg.pending p
                 WHERE p.table_id = tid AND p.xid <> txid_current()
                   AND p.key IN (SELECT q.key FROM vsg.pending q WHERE q.table_id = tid AND q.xid = txid_current()
                                 UNION ALL SELECT vsg.captured_keys(tid)));
END
$$;
