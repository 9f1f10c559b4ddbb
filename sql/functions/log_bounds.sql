-- The statement of sql/history/log_bounds.sql (what it gives is said there), as a
-- function so that it is planned with sequential scans off, as the walks of
-- vsg.merge_bases and vsg.first_parent_reach are. Each read of vsg.commits
-- there is a probe by key (LATERAL ... LIMIT 1), which statistics saying the
-- table is small, or a plan a session kept from when it was, made a scan of
-- every commit (at every step of a walk); a statement cannot turn the scans
-- off for itself, a function can. Not inlined (the SET), so planned at each
-- call, with its arguments as parameters ($1 ... in the body). JIT is off:
-- a scan left with no index to use (a small table's) costs the planner's
-- penalty for a disabled scan, which would have the plan compiled (0.6 s).
CREATE OR REPLACE FUNCTION vsg.log_bounds(p_starts text[], p_k int)
RETURNS TABLE (id text, merges boolean, lo text) LANGUAGE sql STABLE
  SET enable_seqscan = off SET jit = off AS $$
SELECT c.id, g.merge_at IS NOT NULL AS merges,
       (SELECT x.seq FROM vsg.commits x WHERE $2::int IS NOT NULL AND x.table_id = c.table_id AND x.seq <= c.seq
        ORDER BY x.seq DESC OFFSET $2::int - 1 LIMIT 1)::text AS lo
FROM (SELECT DISTINCT s.id FROM unnest($1::text[]) AS s(id)) s
CROSS JOIN LATERAL (SELECT c.id, c.seq, c.table_id FROM vsg.commits c WHERE c.id = s.id LIMIT 1) c
CROSS JOIN LATERAL (SELECT g.merge_at FROM vsg.commit_graph g WHERE g.seq = c.seq LIMIT 1) g
$$;
