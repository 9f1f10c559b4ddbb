-- The commits among cands (seqs) reachable from commit start over every
-- parent, start included. Candidates on start's first-parent chain are found
-- by vsg.first_parent_reach. The others can only be reached through a merge newer than them:
-- the merges reachable from start are listed through merge_at (one step per
-- merge, newest first, stopping below the oldest such candidate), and each
-- candidate is checked against the first-parent chain of each merge's second
-- parent. The cost follows the candidates and those merges, not the commits.
CREATE OR REPLACE FUNCTION vsg.reachable(start bigint, cands bigint[]) RETURNS SETOF bigint LANGUAGE plpgsql STABLE
  SET enable_seqscan = off AS $$
DECLARE
  found bigint[];
  rest bigint[];
  lo bigint;
BEGIN
  found := ARRAY(SELECT vsg.first_parent_reach(start, cands));
  RETURN QUERY SELECT unnest(found);
  rest := ARRAY(SELECT x FROM unnest(cands) AS x WHERE x <> ALL (found) AND x < start);
  IF cardinality(rest) = 0 THEN
    RETURN;
  END IF;
  lo := (SELECT min(x) FROM unnest(rest) AS x);
  RETURN QUERY
  WITH RECURSIVE m(seq, parent, merge_parent) AS (
    SELECT g.seq, g.parent, g.merge_parent
    FROM vsg.commit_graph s JOIN vsg.commit_graph g ON g.seq = s.merge_at
    WHERE s.seq = start AND g.seq > lo
    UNION
    SELECT g.seq, g.parent, g.merge_parent
    FROM m CROSS JOIN LATERAL (VALUES (m.parent), (m.merge_parent)) AS e(seq)
    CROSS JOIN LATERAL (SELECT eg.merge_at FROM vsg.commit_graph eg WHERE eg.seq = e.seq LIMIT 1) eg
    CROSS JOIN LATERAL (SELECT * FROM vsg.commit_graph g WHERE g.seq = eg.merge_at LIMIT 1) g
    WHERE g.seq > lo
  )
  SELECT DISTINCT r
  FROM (SELECT DISTINCT m.merge_parent FROM m WHERE m.merge_parent >= lo) e
  CROSS JOIN LATERAL vsg.first_parent_reach(e.merge_parent, rest) AS r;
END
$$;
