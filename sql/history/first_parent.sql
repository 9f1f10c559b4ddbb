-- The commit N ($2) first-parent steps above $1 (HEAD~N), or nothing:
-- O(log depth) through vsg.commit_graph's skip pointers; whether it was pruned.
SELECT a.id, a.pruned IS NOT NULL AS pruned FROM vsg.commits s
JOIN vsg.commits a ON a.seq = vsg.first_parent_at(s.seq, s.depth - $2::int)
WHERE s.id = $1
