-- Refs of one kind ($2: 'branch' or 'tag') of table $1 (NULL: every table tracked
-- now; an untracked history keeps its refs, read by naming it), with their commit.
SELECT r.name, r.kind, r.table_id::text, r.commit_id AS commit, c.message,
       to_char(c.committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS committed_at
FROM vsg.refs r JOIN vsg.commits c ON c.id = r.commit_id
WHERE CASE WHEN $1::int IS NULL THEN EXISTS (SELECT 1 FROM vsg.tracked t WHERE t.id = r.table_id AND t.untracked_at IS NULL)
           ELSE r.table_id = $1::int END
  AND r.kind = $2
ORDER BY r.table_id, r.name
