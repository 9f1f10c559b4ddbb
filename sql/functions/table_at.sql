-- The statement of sql/span/table_at.sql (what it gives is said there), as a
-- function so that it is planned with sequential scans off, as the walks of
-- vsg.merge_bases and vsg.first_parent_reach are. Each read of vsg.commits
-- there is a probe by key (LATERAL ... LIMIT 1), which statistics saying the
-- table is small, or a plan a session kept from when it was, made a scan of
-- every commit (at every step of a walk); a statement cannot turn the scans
-- off for itself, a function can. Not inlined (the SET), so planned at each
-- call, with its arguments as parameters ($1 ... in the body). JIT is off:
-- a scan left with no index to use (a small table's) costs the planner's
-- penalty for a disabled scan, which would have the plan compiled (0.6 s).
CREATE OR REPLACE FUNCTION vsg.table_at(p_tid int, p_head text, p_at_seq bigint)
RETURNS TABLE (id text, pruned boolean) LANGUAGE sql STABLE
  SET enable_seqscan = off SET jit = off AS $$
WITH RECURSIVE w AS (
  SELECT c.id, c.parent, c.seq, c.pruned FROM (SELECT c.id, c.parent, c.seq, c.pruned, c.table_id FROM vsg.commits c WHERE c.id = $2 LIMIT 1) c
  WHERE c.table_id = $1
  UNION ALL
  SELECT p.id, p.parent, p.seq, p.pruned
  FROM w CROSS JOIN LATERAL (SELECT p.id, p.parent, p.seq, p.pruned FROM vsg.commits p WHERE p.id = w.parent LIMIT 1) p
  WHERE w.seq > $3
)
SELECT id, pruned IS NOT NULL AS pruned FROM w WHERE seq <= $3 LIMIT 1
$$;
