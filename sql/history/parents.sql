-- The parents of commit $1, and whether each was pruned (docs/prune.md).
SELECT c.parent, c.merge_parent,
       (SELECT p.pruned IS NOT NULL FROM vsg.commits p WHERE p.id = c.parent) AS parent_pruned,
       (SELECT m.pruned IS NOT NULL FROM vsg.commits m WHERE m.id = c.merge_parent) AS merge_pruned
FROM vsg.commits c WHERE c.id = $1
