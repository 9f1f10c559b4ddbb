-- The refs of table $1 that a prune at boundary $2 (its seq $3) leaves
-- without their history: pointing at a commit it drops (`pruned`), or at a
-- commit that does not descend from the boundary (`off`: its history meets
-- the kept one only below the point). Prune refuses such a branch, and
-- deletes such a tag (or, with --keep-tags, moves the boundary back to it).
SELECT r.kind, r.name, r.commit_id, c.seq::text,
       EXISTS (SELECT 1 FROM pg_temp.vsg_prune p WHERE p.id = r.commit_id) AS pruned,
       r.commit_id <> $2 AND NOT EXISTS (SELECT 1 FROM vsg.reachable(c.seq, ARRAY[$3::bigint])) AS off
FROM vsg.refs r JOIN vsg.commits c ON c.id = r.commit_id
WHERE r.table_id = $1::int
ORDER BY r.kind, r.name
