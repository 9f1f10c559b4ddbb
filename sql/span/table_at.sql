-- Table $1's state at a commit made elsewhere: the newest commit on the
-- table's first-parent chain from its HEAD $2 that is not newer (by seq) than
-- $3, the seq of that commit (of another table, or the newest part of a
-- commit across tables that has no part in this one). Costs the table's
-- commits since then; nothing when the table was tracked later. `pruned`:
-- that state was pruned (docs/prune.md). Each step is one probe by key
-- (LATERAL ... LIMIT 1): the first, asked for table and id together, was
-- planned with statistics that say vsg.commits is small as a scan of the
-- table's every commit through commits_table, and a join in the walk can
-- become a scan of every commit at each step.
WITH RECURSIVE w AS (
  SELECT c.id, c.parent, c.seq, c.pruned FROM (SELECT c.id, c.parent, c.seq, c.pruned, c.table_id FROM vsg.commits c WHERE c.id = $2 LIMIT 1) c
  WHERE c.table_id = $1
  UNION ALL
  SELECT p.id, p.parent, p.seq, p.pruned
  FROM w CROSS JOIN LATERAL (SELECT p.id, p.parent, p.seq, p.pruned FROM vsg.commits p WHERE p.id = w.parent LIMIT 1) p
  WHERE w.seq > $3
)
SELECT id, pruned IS NOT NULL AS pruned FROM w WHERE seq <= $3 LIMIT 1
