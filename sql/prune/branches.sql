-- The branches of table $1, each with its tip's seq and time, and whether its
-- tip descends from commit $2 (seq $3; NULL: none), over every parent: a
-- branch that does takes $2 as its boundary, one that does not (forked
-- before $2, or behind it) a boundary of its own on its first-parent chain
-- (src/ops/prune.ts).
SELECT r.name, r.commit_id, c.seq::text,
       $3::bigint IS NOT NULL AND (r.commit_id = $2::text OR EXISTS (SELECT 1 FROM vsg.reachable(c.seq, ARRAY[$3::bigint]))) AS contains
FROM vsg.refs r JOIN vsg.commits c ON c.id = r.commit_id
WHERE r.table_id = $1::int AND r.kind = 'branch'
ORDER BY r.name
