-- The newest CHECKOUT commit of commit $2's rows on the first-parent chain of
-- HEAD ($3), with its depth, if any. It holds exactly $2's rows, so writing
-- $2 back can start from it and read only the changes made since, instead of
-- every commit between HEAD and $2: checking the same commit out again and
-- again (a CI job going back to a fixture) costs what changed since the last
-- time, not the whole history since the first. Only on a table whose history
-- has no schema change: a checkout across one holds $2's rows in the columns
-- of its own time, which need not be $2's images.
--   $1 table_id
SELECT c.id, c.depth::text
FROM vsg.commits c
JOIN vsg.commits h ON h.id = $3
WHERE (c.meta ->> 'source') = $2 AND c.kind = 'CHECKOUT' AND c.table_id = $1
  AND NOT EXISTS (SELECT 1 FROM vsg.schema_changes s WHERE s.table_id = $1)
  AND vsg.first_parent_at(h.seq, c.depth) = c.seq
ORDER BY c.seq DESC
LIMIT 1
