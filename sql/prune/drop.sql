-- Drop what the commits in pg_temp.vsg_prune held: their change rows go; each
-- keeps a compact header (id, parents, seq, depths, change_hash, time, kind)
-- marked with the PRUNE entry $1, its author, message and statement blanked
-- (its id can no longer be recomputed; the entry's hash vouches for it).
-- Checkpoints of those commits (caches, and a root's) are listed for the caller
-- to drop (sql/prune/checkpoints.sql).
-- Answers, per table, the change rows deleted and those of them (and their
-- cells) that vsg forget had blanked, for verify's forget counts.
WITH d AS (
  DELETE FROM vsg.changes ch USING pg_temp.vsg_prune p WHERE ch.seq = p.seq
  RETURNING ch.table_id, ch.forgotten
), k AS (
  -- a root's chunks (hash scheme 3): its checkpoint is among those listed
  DELETE FROM vsg.root_chunks rc USING pg_temp.vsg_prune p WHERE rc.seq = p.seq
), m AS (
  UPDATE vsg.commits c SET pruned = $1::bigint, author = '', message = '', statement = NULL
  FROM pg_temp.vsg_prune p WHERE c.id = p.id
  RETURNING c.table_id
)
SELECT t.table_id::text, coalesce(x.rows, 0)::text AS rows, coalesce(x.forgotten, 0)::text AS forgotten,
       coalesce(x.cells, 0)::text AS cells, t.commits::text
FROM (SELECT table_id, count(*) AS commits FROM m GROUP BY table_id) t
LEFT JOIN (SELECT table_id, count(*) AS rows, count(*) FILTER (WHERE forgotten IS NOT NULL) AS forgotten,
                  sum(cardinality(forgotten)) AS cells FROM d GROUP BY table_id) x ON x.table_id = t.table_id
ORDER BY t.table_id
