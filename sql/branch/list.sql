-- Refs of one kind ($2: 'branch' or 'tag') of table $1 (NULL: every table tracked
-- now; an untracked history keeps its refs, read by naming it), with their commit.
-- ($1 read through `arg`, never as constants: see sql/commit/create.sql)
WITH arg AS MATERIALIZED (SELECT $1::int AS table_id)
SELECT r.name, r.kind, r.table_id::text, r.commit_id AS commit, c.message,
       to_char(c.committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS committed_at
FROM vsg.refs r JOIN vsg.commits c ON c.id = r.commit_id
WHERE CASE WHEN (SELECT table_id FROM arg) IS NULL THEN EXISTS (SELECT 1 FROM vsg.tracked t WHERE t.id = r.table_id AND t.untracked_at IS NULL)
           ELSE r.table_id = (SELECT table_id FROM arg) END
  AND r.kind = $2
ORDER BY r.table_id, r.name
