-- Where each branch and tag name stands in the repository: the newest commit
-- that any table's ref of that name points at, as an entry of a log over
-- several tables (the commit across tables it is a part of, or itself).
SELECT DISTINCT ON (r.kind, r.name) r.kind, r.name, coalesce(p.id, c.id) AS entry
FROM vsg.refs r JOIN vsg.commits c ON c.id = r.commit_id
LEFT JOIN vsg.commit_parts p ON p.part = c.id
ORDER BY r.kind, r.name, c.seq DESC
