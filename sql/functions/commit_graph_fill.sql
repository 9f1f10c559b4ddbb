-- Add the graph rows of every commit below seq `below` that lacks one, oldest
-- first; how many. Migration 007 fills the graph with it; `vsg doctor` names
-- it when commits lack a row (their row history would miss them).
CREATE OR REPLACE FUNCTION vsg.commit_graph_fill(below bigint DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  r record;
  n bigint := 0;
BEGIN
  FOR r IN
    SELECT c.seq, c.depth, c.parent, c.merge_parent FROM vsg.commits c
    WHERE (below IS NULL OR c.seq < below) AND NOT EXISTS (SELECT 1 FROM vsg.commit_graph g WHERE g.seq = c.seq)
    ORDER BY c.seq
  LOOP
    PERFORM vsg.commit_graph_add(r.seq, r.depth, r.parent, r.merge_parent, false);
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;
