-- The first step of log, in one statement: per head ($1), what
-- sql/history/log_bounds.sql gives (whether a merge is reachable, and the
-- bound of the walk for $2), and, when there is one head and no merge behind
-- it, the fast path's answer already: the ids of the first-parent walk from
-- it, filtered, newest first, at most $3 (`linear`, a JSON array; NULL when
-- the caller must walk every parent with sql/history/log.sql).
-- $4 author (substring, case-insensitive), $5 since, $6 until, $7 message
-- (substring, case-insensitive). Pruned commits (docs/prune.md) end the walk.
-- `entries`: whether log has anything to show beside its commits (a FORGET
-- entry of a table of $8, or any PRUNE entry): when not, it need not read them
-- (sql/history/entries.sql), one round trip less.
WITH b AS MATERIALIZED (
  SELECT c.id, g.merge_at IS NOT NULL AS merges,
         (SELECT x.seq FROM vsg.commits x WHERE $2::int IS NOT NULL AND x.table_id = c.table_id AND x.seq <= c.seq
          ORDER BY x.seq DESC OFFSET $2::int - 1 LIMIT 1)::text AS lo
  FROM vsg.commits c JOIN vsg.commit_graph g ON g.seq = c.seq
  WHERE c.id = ANY($1::text[])
)
SELECT b.id, b.merges, b.lo,
       (EXISTS (SELECT 1 FROM vsg.forgets f WHERE f.table_id = ANY ($8::int[])) OR EXISTS (SELECT 1 FROM vsg.prunes)) AS entries,
       CASE WHEN cardinality($1::text[]) = 1 AND NOT b.merges THEN (
         -- the recursive walk is lazy under LIMIT: it stops as soon as enough commits are found
         WITH RECURSIVE walk AS (
           SELECT c.id, c.parent, c.author, c.committed_at, c.message, 0 AS n FROM vsg.commits c WHERE c.id = ($1::text[])[1]
           UNION ALL
           SELECT c.id, c.parent, c.author, c.committed_at, c.message, w.n + 1 FROM walk w JOIN vsg.commits c ON c.id = w.parent AND c.pruned IS NULL
         )
         SELECT coalesce(json_agg(f.id ORDER BY f.n), '[]')::text FROM (
           SELECT id, n FROM walk
           WHERE ($4::text IS NULL OR author ILIKE '%' || $4 || '%')
             AND ($5::timestamptz IS NULL OR committed_at >= $5::timestamptz)
             AND ($6::timestamptz IS NULL OR committed_at <= $6::timestamptz)
             AND ($7::text IS NULL OR strpos(lower(message), lower($7)) > 0)
           LIMIT $3
         ) f
       ) END AS linear
FROM b
