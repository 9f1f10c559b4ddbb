-- The commits among cands (seqs) on the first-parent chain of commit start,
-- start included. Each candidate is checked by stepping down from start
-- along jump pointers to the candidate's depth: O(log depth) index lookups
-- per candidate, whatever lies between. In the walks here and in vsg.first_parent_at and
-- vsg.reachable, each step reads
-- one graph row through a LATERAL ... LIMIT 1 (seq is the key, so the limit
-- never binds): it keeps the planner from hashing the whole graph table on
-- every step, which it otherwise does when its estimates are small.
CREATE OR REPLACE FUNCTION vsg.first_parent_reach(start bigint, cands bigint[]) RETURNS SETOF bigint LANGUAGE sql STABLE
  SET enable_seqscan = off AS $$
  WITH RECURSIVE w(target, tdepth, cur, cdepth) AS (
    SELECT x.seq, x.depth, s.seq, s.depth
    FROM vsg.commit_graph s JOIN vsg.commit_graph x ON x.seq = ANY (cands) AND x.seq <= s.seq AND x.depth <= s.depth
    WHERE s.seq = start
    UNION ALL
    SELECT w.target, w.tdepth,
           CASE WHEN g.jump_depth >= w.tdepth THEN g.jump ELSE g.parent END,
           CASE WHEN g.jump_depth >= w.tdepth THEN g.jump_depth ELSE g.depth - 1 END
    FROM w CROSS JOIN LATERAL (SELECT * FROM vsg.commit_graph g WHERE g.seq = w.cur LIMIT 1) g
    WHERE w.cdepth > w.tdepth AND w.cur > w.target
  )
  SELECT target FROM w WHERE cdepth = tdepth AND cur = target
$$;
