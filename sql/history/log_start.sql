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
-- (the parameters read through `arg`, never as constants: see sql/commit/create.sql)
-- Every read of vsg.commits and vsg.commit_graph by key is a probe (LATERAL
-- ... LIMIT 1; the keys are unique, so the limit never binds): as joins, at
-- 1,000 commits with fresh statistics, the head's graph row was found by a
-- scan of the whole graph and each step of the walk by a hash of every commit.
WITH arg AS MATERIALIZED (
  SELECT $1::text[] AS starts, $2::int AS k, $3::bigint AS lim, $4::text AS author,
         $5::timestamptz AS since, $6::timestamptz AS until, $7::text AS grep, $8::int[] AS scope
), b AS MATERIALIZED (
  SELECT c.id, g.merge_at IS NOT NULL AS merges,
         (SELECT x.seq FROM vsg.commits x WHERE (SELECT k FROM arg) IS NOT NULL AND x.table_id = c.table_id AND x.seq <= c.seq
          ORDER BY x.seq DESC OFFSET (SELECT k FROM arg) - 1 LIMIT 1)::text AS lo
  FROM (SELECT DISTINCT s.id FROM unnest((SELECT starts FROM arg)::text[]) AS s(id)) s
  CROSS JOIN LATERAL (SELECT c.id, c.seq, c.table_id FROM vsg.commits c WHERE c.id = s.id LIMIT 1) c
  CROSS JOIN LATERAL (SELECT g.merge_at FROM vsg.commit_graph g WHERE g.seq = c.seq LIMIT 1) g
)
SELECT b.id, b.merges, b.lo,
       (EXISTS (SELECT 1 FROM vsg.forgets f WHERE f.table_id = ANY ((SELECT scope FROM arg)::int[])) OR EXISTS (SELECT 1 FROM vsg.prunes)) AS entries,
       CASE WHEN cardinality((SELECT starts FROM arg)) = 1 AND NOT b.merges THEN (
         -- the recursive walk is lazy under LIMIT: it stops as soon as enough commits are found
         WITH RECURSIVE walk AS (
           SELECT c.id, c.parent, c.author, c.committed_at, c.message, 0 AS n FROM vsg.commits c WHERE c.id = ((SELECT starts FROM arg))[1]
           UNION ALL
           SELECT c.id, c.parent, c.author, c.committed_at, c.message, w.n + 1
           FROM walk w CROSS JOIN LATERAL (SELECT c.id, c.parent, c.author, c.committed_at, c.message FROM vsg.commits c
                                           WHERE c.id = w.parent AND c.pruned IS NULL LIMIT 1) c
         )
         SELECT coalesce(json_agg(f.id ORDER BY f.n), '[]')::text FROM (
           SELECT id, n FROM walk
           WHERE ((SELECT author FROM arg) IS NULL OR author ILIKE '%' || (SELECT author FROM arg) || '%')
             AND ((SELECT since FROM arg) IS NULL OR committed_at >= (SELECT since FROM arg))
             AND ((SELECT until FROM arg) IS NULL OR committed_at <= (SELECT until FROM arg))
             AND ((SELECT grep FROM arg) IS NULL OR strpos(lower(message), lower((SELECT grep FROM arg))) > 0)
           LIMIT (SELECT lim FROM arg)
         ) f
       ) END AS linear
FROM b
