-- Version 7: the commit graph (one row per commit, with skip pointers), filled
-- here for the commits already there while new commits are held off.

LOCK TABLE vsg.commits IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE vsg.commit_graph (
  seq          bigint PRIMARY KEY REFERENCES vsg.commits(seq) ON DELETE CASCADE,
  depth        int NOT NULL,     -- vsg.commits.depth: first-parent distance from the root
  parent       bigint,           -- first parent's seq
  merge_parent bigint,           -- merge parent's seq
  jump         bigint NOT NULL,  -- a first-parent ancestor (the commit itself at the root)
  jump_depth   int NOT NULL,     -- its depth
  merge_at     bigint            -- the nearest merge commit on the first-parent chain, itself included
);

-- (vsg.commit_graph_fill and the trigger's function come from sql/functions/,
-- which init applies before the migrations.)
DO $$
BEGIN
  PERFORM vsg.commit_graph_fill();
  -- Statistics of an empty table would tell the planner it stays empty.
  IF EXISTS (SELECT 1 FROM vsg.commit_graph) THEN
    ANALYZE vsg.commit_graph;
  END IF;
END
$$;

CREATE TRIGGER commit_graph AFTER INSERT ON vsg.commits FOR EACH ROW EXECUTE FUNCTION vsg.commit_graph_trigger();

