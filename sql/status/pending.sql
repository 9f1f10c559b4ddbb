-- Uncommitted changes of a table, netted per key: value at HEAD, value now.
-- `tidy`: whether vsg.pending wants a VACUUM (src/core/pending.ts), from what
-- PostgreSQL keeps anyway, read in this same round trip. Either the table
-- grew by more than 320 pages (2.5 MB, ~10,000 captured rows) since the last
-- VACUUM or ANALYZE measured it (pg_class.relpages: every database keeps it,
-- and a VACUUM resets it, so it asks once per growth); or dead rows (an
-- application's rolled-back writes, every commit's deletes) outnumber both
-- 10,000 and the live ones (the dead-tuple statistics: a server's, the
-- embedded database's only while it runs) and no VACUUM ran in the last
-- minute (one that could not remove them, a snapshot still seeing them, is
-- not repeated at once). Only for a role that may VACUUM it (its owner's
-- privileges): another one's VACUUM would skip it, and status would ask again.
-- The same test ends sql/commit/create.sql.
WITH net AS (
  SELECT key, (array_agg(before ORDER BY seq))[1] AS before, (array_agg(after ORDER BY seq DESC))[1] AS after
  FROM vsg.pending WHERE table_id = $1 GROUP BY key
)
SELECT count(*) FILTER (WHERE before IS NULL)::text AS inserted,
       count(*) FILTER (WHERE before IS NOT NULL AND after IS NOT NULL)::text AS updated,
       count(*) FILTER (WHERE after IS NULL)::text AS deleted,
       (SELECT pg_has_role(c.relowner, 'USAGE') AND (pg_relation_size(c.oid) / current_setting('block_size')::int - c.relpages > 320
               OR (pg_stat_get_dead_tuples(c.oid) > greatest(10000, pg_stat_get_live_tuples(c.oid))
                   AND coalesce(greatest(pg_stat_get_last_vacuum_time(c.oid), pg_stat_get_last_autovacuum_time(c.oid)) < now() - interval '1 minute', true)))
        FROM pg_catalog.pg_class c WHERE c.oid = 'vsg.pending'::regclass) AS tidy
FROM net WHERE before IS DISTINCT FROM after
