-- Table $1's state at a commit made elsewhere: the newest commit on the
-- table's first-parent chain from its HEAD $2 that is not newer (by seq) than
-- $3, the seq of that commit (of another table, or the newest part of a
-- commit across tables that has no part in this one). Costs the table's
-- commits since then; nothing when the table was tracked later. `pruned`:
-- that state was pruned (docs/prune.md).
WITH RECURSIVE w AS (
  SELECT c.id, c.parent, c.seq, c.pruned FROM vsg.commits c WHERE c.id = $2 AND c.table_id = $1
  UNION ALL
  SELECT p.id, p.parent, p.seq, p.pruned FROM vsg.commits p JOIN w ON p.id = w.parent WHERE w.seq > $3
)
SELECT id, pruned IS NOT NULL AS pruned FROM w WHERE seq <= $3 LIMIT 1
