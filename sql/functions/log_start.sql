-- The statement of sql/history/log_start.sql (what it gives is said there), as a
-- function so that it is planned with sequential scans off, as the walks of
-- vsg.merge_bases and vsg.first_parent_reach are. Each read of vsg.commits
-- there is a probe by key (LATERAL ... LIMIT 1), which statistics saying the
-- table is small, or a plan a session kept from when it was, made a scan of
-- every commit (at every step of a walk); a statement cannot turn the scans
-- off for itself, a function can. Not inlined (the SET), so planned at each
-- call, with its arguments as parameters ($1 ... in the body). JIT is off:
-- a scan left with no index to use (a small table's) costs the planner's
-- penalty for a disabled scan, which would have the plan compiled (0.6 s).
CREATE OR REPLACE FUNCTION vsg.log_start(p_starts text[], p_k int, p_lim bigint, p_author text, p_since timestamptz, p_until timestamptz, p_grep text, p_scope int[])
RETURNS TABLE (id text, merges boolean, lo text, entries boolean, linear text) LANGUAGE sql STABLE
  SET enable_seqscan = off SET jit = off AS $$
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
$$;
