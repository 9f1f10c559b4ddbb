-- The tracked tables whose columns or primary key differ from those last
-- recorded (vsg.tracked.signature, compared as sql/tables/lock_shared.sql
-- compares them), by id: what a commit naming no table records as SCHEMA
-- commits besides the tables whose rows changed, as a commit naming the table
-- would (src/ops/commit.ts › commitAcross). `written`: only the tables whose
-- catalog rows (pg_attribute, pg_index) this transaction or one of its
-- subtransactions wrote, each one index probe, so that a commit whose SQL or
-- work altered no table does not compute every tracked table's signature
-- (~0.1 ms each); otherwise every tracked table, as status compares them (a
-- commit without SQL records a change made outside vsg).
CREATE OR REPLACE FUNCTION vsg.reshaped_tables(written boolean) RETURNS SETOF int
LANGUAGE sql STABLE AS $$
  SELECT t.id
  FROM (SELECT t.id, t.relid, t.signature
        FROM vsg.tracked t JOIN pg_catalog.pg_class c ON c.oid = t.relid
        WHERE t.untracked_at IS NULL AND t.signature IS NOT NULL
          AND (NOT written
               OR EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                          WHERE a.attrelid = t.relid AND age(a.xmin) <= age(pg_catalog.pg_current_xact_id_if_assigned()::xid))
               OR EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                          WHERE i.indrelid = t.relid AND age(i.xmin) <= age(pg_catalog.pg_current_xact_id_if_assigned()::xid)))
        OFFSET 0) t
  CROSS JOIN LATERAL (SELECT vsg.table_signature(t.relid) AS now) s
  WHERE s.now->'columns' IS DISTINCT FROM t.signature->'columns' OR (s.now->'key') IS DISTINCT FROM (t.signature->'key')
  ORDER BY t.id
$$;
