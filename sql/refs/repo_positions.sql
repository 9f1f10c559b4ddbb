-- Where HEAD and each branch and tag name stand in the repository: the newest
-- commit that any table's ref of that name points at (HEAD: the branch each
-- tracked table follows, as a row of kind 'HEAD'), as an entry of a log over
-- several tables (the commit across tables it is a part of, or itself).
-- Each ref's commit is one probe by key (LATERAL ... LIMIT 1): a join was
-- planned, with statistics that say vsg.commits is small, as a hash of every
-- commit.
SELECT DISTINCT ON (x.kind, x.name) x.kind, x.name, coalesce(p.id, c.id) AS entry
FROM (
  SELECT r.kind, r.name, r.commit_id FROM vsg.refs r
  UNION ALL
  SELECT 'HEAD', '', r.commit_id
  FROM vsg.tracked t JOIN vsg.refs r ON r.table_id = t.id AND r.kind = 'branch' AND r.name = t.head
  WHERE t.untracked_at IS NULL
) x
CROSS JOIN LATERAL (SELECT c.id, c.seq FROM vsg.commits c WHERE c.id = x.commit_id LIMIT 1) c
LEFT JOIN vsg.commit_parts p ON p.part = c.id
ORDER BY x.kind, x.name, c.seq DESC
