-- The statement of sql/history/log.sql (what it gives is said there), as a
-- function so that it is planned with sequential scans off, as the walks of
-- vsg.merge_bases and vsg.first_parent_reach are. Each read of vsg.commits
-- there is a probe by key (LATERAL ... LIMIT 1), which statistics saying the
-- table is small, or a plan a session kept from when it was, made a scan of
-- every commit (at every step of a walk); a statement cannot turn the scans
-- off for itself, a function can. Not inlined (the SET), so planned at each
-- call, with its arguments as parameters ($1 ... in the body). JIT is off:
-- a scan left with no index to use (a small table's) costs the planner's
-- penalty for a disabled scan, which would have the plan compiled (0.6 s).
CREATE OR REPLACE FUNCTION vsg.log_walk(p_starts text[], p_lim bigint, p_author text, p_since timestamptz, p_until timestamptz, p_los bigint[], p_below bigint, p_grep text)
RETURNS TABLE (id text) LANGUAGE sql STABLE
  SET enable_seqscan = off SET jit = off AS $$
WITH RECURSIVE walk(seq, lo) AS (
  SELECT c.seq, b.lo FROM unnest($1::text[], $6::bigint[]) AS b(id, lo)
  CROSS JOIN LATERAL (SELECT c.seq FROM vsg.commits c WHERE c.id = b.id LIMIT 1) c
  UNION
  SELECT p.seq, w.lo FROM walk w
  CROSS JOIN LATERAL (SELECT g.parent, g.merge_parent FROM vsg.commit_graph g WHERE g.seq = w.seq LIMIT 1) g
  CROSS JOIN LATERAL (VALUES (g.parent), (g.merge_parent)) AS p(seq)
  WHERE p.seq >= coalesce(w.lo, 0)
)
SELECT c.id FROM (SELECT DISTINCT seq FROM walk) w
CROSS JOIN LATERAL (SELECT c.id, c.seq, c.pruned, c.author, c.committed_at, c.message FROM vsg.commits c WHERE c.seq = w.seq LIMIT 1) c
WHERE c.pruned IS NULL
  AND ($3::text IS NULL OR c.author ILIKE '%' || $3 || '%')
  AND ($4::timestamptz IS NULL OR c.committed_at >= $4::timestamptz)
  AND ($5::timestamptz IS NULL OR c.committed_at <= $5::timestamptz)
  AND ($7::bigint IS NULL OR c.seq < $7::bigint)
  AND ($8::text IS NULL OR strpos(lower(c.message), lower($8)) > 0)
ORDER BY c.seq DESC
LIMIT $2
$$;
