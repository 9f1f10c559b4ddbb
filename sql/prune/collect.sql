-- Every ancestor of the boundary $1 (by parent, merge parent and the source
-- of a state commit), the boundary itself excluded, not pruned yet: the
-- commits this prune drops, into pg_temp.vsg_prune. A commit pruned before
-- ends the walk (its ancestors were pruned with it). How many.
WITH RECURSIVE a(id) AS (
  SELECT x FROM vsg.commits c CROSS JOIN LATERAL unnest(ARRAY[c.parent, c.merge_parent, c.source]) AS x WHERE c.id = $1 AND x IS NOT NULL
  UNION
  -- one primary-key lookup per step (LATERAL ... LIMIT 1): a join here gets a scan
  -- of every commit per step, the working table's size being unknown to the planner
  SELECT x FROM a
  CROSS JOIN LATERAL (SELECT c.parent, c.merge_parent, c.source FROM vsg.commits c WHERE c.id = a.id AND c.pruned IS NULL LIMIT 1) c
  CROSS JOIN LATERAL unnest(ARRAY[c.parent, c.merge_parent, c.source]) AS x WHERE x IS NOT NULL
), i AS (
  INSERT INTO pg_temp.vsg_prune (id, seq, table_id)
  SELECT c.id, c.seq, c.table_id FROM a JOIN vsg.commits c ON c.id = a.id WHERE c.pruned IS NULL
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT count(*)::text AS n FROM i
