-- Tags of table $1 on commits in pg_temp.vsg_prune, oldest commit first.
SELECT r.name, r.commit_id, c.seq::text
FROM vsg.refs r JOIN pg_temp.vsg_prune p ON p.id = r.commit_id JOIN vsg.commits c ON c.id = r.commit_id
WHERE r.table_id = $1::int AND r.kind = 'tag'
ORDER BY c.seq, r.name
