-- The tracked tables whose columns or primary key differ from those last
-- recorded (vsg.tracked.signature, compared as sql/tables/lock_shared.sql
-- compares them), by id: what a commit naming no table records as SCHEMA
-- commits besides the tables whose rows changed, as a commit naming the table
-- would (src/ops/commit.ts › commitAcross). `altered`: only the tables this
-- transaction holds an ACCESS EXCLUSIVE lock on, which every ALTER TABLE that
-- changes a column or the primary key takes (kept by the transaction when
-- taken in a subtransaction), so that a commit whose SQL or work altered no
-- table costs one read of this backend's locks, not one signature (~0.1 ms)
-- nor one probe per tracked table. Otherwise every tracked table, as status
-- compares them (a commit without SQL records a change made outside vsg).
-- (its argument was named `written` when it read catalog rows instead of locks)
DROP FUNCTION IF EXISTS vsg.reshaped_tables(boolean);
CREATE OR REPLACE FUNCTION vsg.reshaped_tables(altered boolean) RETURNS SETOF int
LANGUAGE sql STABLE AS $$
  SELECT t.id
  FROM (SELECT t.id, t.relid, t.signature
        FROM vsg.tracked t
        WHERE NOT altered AND t.untracked_at IS NULL AND t.signature IS NOT NULL
        UNION ALL
        SELECT t.id, t.relid, t.signature
        FROM (SELECT DISTINCT l.relation FROM pg_catalog.pg_locks l
              WHERE altered AND l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock') l
        JOIN vsg.tracked t ON t.relid = l.relation
        WHERE t.untracked_at IS NULL AND t.signature IS NOT NULL
        OFFSET 0) t
  JOIN pg_catalog.pg_class c ON c.oid = t.relid
  -- (OFFSET 0: computed once a table, not once for each of the two comparisons)
  CROSS JOIN LATERAL (SELECT vsg.table_signature(t.relid) AS now OFFSET 0) s
  WHERE s.now->'columns' IS DISTINCT FROM t.signature->'columns' OR (s.now->'key') IS DISTINCT FROM (t.signature->'key')
  ORDER BY t.id
$$;
