-- A table's state at time $2: the newest commit on the first-parent chain
-- from its HEAD $1 made at or before $2 (nothing when the table was tracked
-- later), and whether it was pruned already. Costs the commits since then.
WITH RECURSIVE w AS (
  SELECT c.id, c.parent, c.committed_at, c.pruned FROM vsg.commits c WHERE c.id = $1
  UNION ALL
  SELECT p.id, p.parent, p.committed_at, p.pruned FROM vsg.commits p JOIN w ON p.id = w.parent WHERE w.committed_at > $2::timestamptz
)
SELECT id, pruned IS NOT NULL AS pruned FROM w WHERE committed_at <= $2::timestamptz LIMIT 1
